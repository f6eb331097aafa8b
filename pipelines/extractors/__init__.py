"""Pure extraction functions: HTML or text in, plain values out; no Scrapy, no database."""
