"""What an operator sees: Prometheus metrics read from the database at scrape time, the
health verdict, and the dashboard page, all served by `pipeline serve`."""
