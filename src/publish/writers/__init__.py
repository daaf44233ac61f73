"""Write stage: pages -> .epub (ebooklib) and .pdf (WeasyPrint)."""
