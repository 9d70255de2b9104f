"""Forms of the privacy pages, one module per page. They parse input; services save."""
