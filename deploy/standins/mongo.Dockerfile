# Stand-in for mongo on machines that cannot pull images: nx-27017 (MongoDB wire protocol,
# SQLite underneath), one file per database under /data/db. No authentication, users, roles
# or replica set (deploy/docker-compose.standins.yml lists what it cannot honour).
#   docker build -f deploy/standins/mongo.Dockerfile --build-arg BASE_IMAGE=eldercare/base:bookworm \
#     --build-arg WHEELS=build/wheels -t eldercare/mongo-standin .
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}
ARG WHEELS=""
COPY requirements.txt ${WHEELS:-requirements.txt} /tmp/deps/
RUN spec="$(grep -iE '^(nx-27017|neosqlite)==' /tmp/deps/requirements.txt)" \
    && if [ -n "$WHEELS" ]; then pip install --no-index --find-links /tmp/deps $spec; \
       else pip install $spec; fi \
    && rm -rf /tmp/deps \
    && useradd --system --uid 10003 --home-dir /data mongodb \
    && mkdir -p /data/db && chown mongodb /data/db
USER mongodb
VOLUME /data/db
ENV MONGO_HOST=127.0.0.1 MONGO_PORT=29017
CMD ["sh", "-c", "exec nx-27017 --data-dir /data/db --host $MONGO_HOST -p $MONGO_PORT --log-file /dev/stdout --pid-file /tmp/nx.pid"]
