"""HTTP edge of the projection service: public pages, open data and the JSON API."""
