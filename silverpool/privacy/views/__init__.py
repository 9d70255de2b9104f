"""Pages of the privacy app: public pages for talents (signed links, no login) and the
pages recruiters and admins use."""
