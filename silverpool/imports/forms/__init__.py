"""Forms of the imports pages, one module per page. They parse input; services save."""
