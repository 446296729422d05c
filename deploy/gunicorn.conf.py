"""gunicorn settings for every service's web process (PORT names the port).

    PORT=8001 gunicorn -c deploy/gunicorn.conf.py 'registry.bootstrap:create_app()'
"""

import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ['PORT']}"
# Replicas of a service sharing one host network (deploy/docker-compose.standins.yml) bind the
# same port; the kernel spreads connections over them (SO_REUSEPORT, same user only).
reuse_port = os.environ.get("GUNICORN_REUSE_PORT") == "1"

# One worker process, many threads. The Prometheus client keeps its counters in the memory of
# the process that serves /metrics, so with several workers every scrape would see only one
# worker's share. Scale out with more containers (each scraped on its own), not workers.
# Threads suit the work: requests mostly wait on MongoDB and Kafka, which release the GIL.
worker_class = "gthread"
workers = 1
threads = int(os.environ.get("GUNICORN_THREADS", "8"))

# Requests are short; let in-flight ones finish on SIGTERM (docker stop waits 30 s by default).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = 5

# Logs to stdout/stderr, where the container runtime collects them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# The app factory does no work at import time, so there is nothing to share by preloading.
preload_app = False
# Trust X-Forwarded-* only from the load balancer in front (set it to its address).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl), which
# two services on one host would share; the container runtime's signals are all we need.
control_socket_disable = True
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # heartbeat file off the container's overlay filesystem
