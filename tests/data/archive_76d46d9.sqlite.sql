-- An archive made by ino-archive at git commit 76d46d9 (the foundation schema, before migrations).
-- SQLite: tables, the FTS5 index and its triggers, four articles. Generated from that commit's code.
BEGIN;
CREATE TABLE sources (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	language VARCHAR(16), 
	url TEXT, 
	first_seen_at DATETIME NOT NULL, 
	last_seen_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);
CREATE TABLE articles (
	id INTEGER NOT NULL, 
	url TEXT NOT NULL, 
	canonical_url TEXT NOT NULL, 
	source VARCHAR(200) NOT NULL, 
	title TEXT, 
	text TEXT NOT NULL, 
	language VARCHAR(16), 
	published DATE, 
	published_from VARCHAR(32), 
	people JSON NOT NULL, 
	organisations JSON NOT NULL, 
	places JSON NOT NULL, 
	relevance FLOAT NOT NULL, 
	is_relevant BOOLEAN NOT NULL, 
	relevance_terms JSON NOT NULL, 
	encoding VARCHAR(64), 
	fetched_at DATETIME, 
	content_hash VARCHAR(64) NOT NULL, 
	extract_hash VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (canonical_url)
);
CREATE TABLE entities (
	id INTEGER NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	name TEXT NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_entities_kind_name UNIQUE (kind, name)
);
CREATE TABLE crawl_runs (
	id INTEGER NOT NULL, 
	started_at DATETIME NOT NULL, 
	finished_at DATETIME, 
	status VARCHAR(32) NOT NULL, 
	finish_reason VARCHAR(64), 
	counts JSON NOT NULL, 
	sources JSON NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE mentions (
	id INTEGER NOT NULL, 
	article_id INTEGER NOT NULL, 
	entity_id INTEGER NOT NULL, 
	surface TEXT NOT NULL, 
	start INTEGER, 
	"end" INTEGER, 
	role TEXT, 
	PRIMARY KEY (id), 
	FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE, 
	FOREIGN KEY(entity_id) REFERENCES entities (id)
);
CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2');
INSERT INTO articles VALUES (1, 'https://news.example/articles/1?utm=x', 'https://news.example/articles/1', 'tomsk-news', 'Кластер фармацевтики ИНО Томск', 'Сергей Жвачкин открыл кластер в Томске.', 'ru', '2016-03-14', 'meta', '["\u0421\u0435\u0440\u0433\u0435\u0439 \u0416\u0432\u0430\u0447\u043a\u0438\u043d"]', '["\u0418\u041d\u041e \u0422\u043e\u043c\u0441\u043a"]', '[]', 3.0, 1, '["\u0418\u041d\u041e \u0422\u043e\u043c\u0441\u043a"]', 'utf-8', '2024-05-01 12:00:00.000000', '8b9608485a08ac2c055fef989b86dd0919e6b2516b4acbb8ab5dd3e39a650687', 'dad21f5178d3adb542fa031437137b50017e3d22eac24b9850b723c1ad4438bb', '2026-11-26 19:37:28.874933', '2026-11-26 19:37:28.874933');
INSERT INTO articles VALUES (2, 'https://news.example/articles/2?utm=x', 'https://news.example/articles/2', 'tomsk-news', 'Ёлка и кластеры', 'Новости кластера: ТГУ и ТПУ.', 'ru', '2017-06-01', 'meta', '["\u0421\u0435\u0440\u0433\u0435\u0439 \u0416\u0432\u0430\u0447\u043a\u0438\u043d"]', '["\u0418\u041d\u041e \u0422\u043e\u043c\u0441\u043a"]', '[]', 3.0, 1, '["\u0418\u041d\u041e \u0422\u043e\u043c\u0441\u043a"]', 'utf-8', '2024-05-01 12:00:00.000000', '5f6c38ce2f4f78fae917d93f4cffe9feaa0457bb7d974d21d7674e75ab5d1f34', 'cb30c2880b68b1a98f85a3391f8e858427c7e71769171caad77ab9d5abba1917', '2026-11-26 19:37:28.874933', '2026-11-26 19:37:28.874933');
INSERT INTO articles VALUES (3, 'https://news.example/articles/3?utm=x', 'https://news.example/articles/3', 'tomsk-en', 'INO Tomsk universities', 'The universities of Tomsk signed the agreement.', 'en', '2018-01-10', 'meta', '["\u0421\u0435\u0440\u0433\u0435\u0439 \u0416\u0432\u0430\u0447\u043a\u0438\u043d"]', '["\u0418\u041d\u041e \u0422\u043e\u043c\u0441\u043a"]', '[]', 3.0, 1, '["\u0418\u041d\u041e \u0422\u043e\u043c\u0441\u043a"]', 'utf-8', '2024-05-01 12:00:00.000000', 'b35317cba35bb4e9fe9287f363ce52ae6029a1201c371b29932617e10aa3896b', '8271e573febfabed8acc4160e1d0ccfa8ca07afc28c3dab5c8df60589a223944', '2026-11-26 19:37:28.874933', '2026-11-26 19:37:28.874933');
INSERT INTO articles VALUES (4, 'https://news.example/articles/4?utm=x', 'https://news.example/articles/4', 'tomsk-news', 'Погода', 'В Томске дождь.', 'ru', '2016-03-14', 'meta', '["\u0421\u0435\u0440\u0433\u0435\u0439 \u0416\u0432\u0430\u0447\u043a\u0438\u043d"]', '["\u0418\u041d\u041e \u0422\u043e\u043c\u0441\u043a"]', '[]', 0.0, 0, '["\u0418\u041d\u041e \u0422\u043e\u043c\u0441\u043a"]', 'utf-8', '2024-05-01 12:00:00.000000', '60d7696e12a5fa16739eca9debcc0e9de19cae1fa7639e43fd7197acc96e05c6', '431ba7d4666994dd956478244af3c7bd29c62a60ea52e0529f2f202432689436', '2026-11-26 19:37:28.874933', '2026-11-26 19:37:28.874933');
INSERT INTO crawl_runs VALUES (1, '2024-05-01 12:00:00', '2024-05-01 12:05:00', 'finished', 'finished', '{"pages": 4}', '["tomsk-news"]');
INSERT INTO entities VALUES (1, 'org', 'ИНО Томск');
INSERT INTO entities VALUES (2, 'org', 'Томский государственный университет');
INSERT INTO entities VALUES (3, 'person', 'Сергей Жвачкин');
INSERT INTO sources VALUES (1, 'tomsk-news', 'ru', 'https://news.example/', '2026-11-26 19:37:28.866206', '2026-11-26 19:37:28.866206');
INSERT INTO sources VALUES (2, 'tomsk-en', NULL, NULL, '2026-11-26 19:37:28.866206', '2026-11-26 19:37:28.866206');
INSERT INTO mentions VALUES (1, 1, 3, 'Сергей Жвачкин', 11, 25, 'губернатор');
INSERT INTO mentions VALUES (2, 1, 1, 'ИНО Томск', 49, 58, NULL);
INSERT INTO mentions VALUES (3, 2, 2, 'ТГУ', 17, 20, NULL);
CREATE INDEX ix_articles_language ON articles (language);
CREATE INDEX ix_articles_is_relevant ON articles (is_relevant);
CREATE INDEX ix_articles_published ON articles (published);
CREATE INDEX ix_articles_content_hash ON articles (content_hash);
CREATE INDEX ix_articles_source ON articles (source);
CREATE INDEX ix_crawl_runs_started_at ON crawl_runs (started_at);
CREATE INDEX ix_mentions_entity_id ON mentions (entity_id);
CREATE INDEX ix_mentions_article_id ON mentions (article_id);
CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END;
CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
COMMIT;
