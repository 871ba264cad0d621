"""Fleet metrics in Prometheus format (prometheus_client): see :mod:`kiosk.metrics.kiosk_metrics`."""
