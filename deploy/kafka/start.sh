#!/usr/bin/env bash
# The kafka container's entrypoint (apache/kafka image, docker-compose.yml): one KRaft node,
# SASL/SCRAM-SHA-512 over TLS for brokers and clients, StandardAuthorizer with no access
# without an ACL. The admin user's SCRAM credential is written when the storage is formatted
# (first start); every other user and ACL is made by kafka-init (deploy/kafka/init-security.sh).
set -euo pipefail
admin_pw="$(cat /run/secrets/kafka/users/admin)"
cfg=/tmp/server.properties
cat > "$cfg" <<CONF
node.id=1
process.roles=broker,controller
controller.quorum.voters=1@localhost:9093
# CONTROLLER is bound to the container's own loopback: nothing outside reaches it
listeners=BROKER://:9092,CLIENT://:9094,CONTROLLER://localhost:9093
advertised.listeners=BROKER://kafka:9092,CLIENT://kafka:9094
listener.security.protocol.map=BROKER:SASL_SSL,CLIENT:SASL_SSL,CONTROLLER:PLAINTEXT
inter.broker.listener.name=BROKER
controller.listener.names=CONTROLLER
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.broker.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin_pw";
listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PEM
ssl.keystore.location=/run/secrets/kafka/broker.pem
ssl.truststore.type=PEM
ssl.truststore.location=/run/secrets/kafka/ca.pem
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
# admin: kafka-init and operators; ANONYMOUS: the broker talking to its own controller over
# the loopback-only CONTROLLER listener (no client can arrive as ANONYMOUS elsewhere)
super.users=User:admin;User:ANONYMOUS
log.dirs=/var/lib/kafka/data
auto.create.topics.enable=false
num.partitions=$KAFKA_PARTITIONS
default.replication.factor=$KAFKA_REPLICATION_FACTOR
min.insync.replicas=$KAFKA_MIN_INSYNC_REPLICAS
offsets.topic.replication.factor=$KAFKA_REPLICATION_FACTOR
transaction.state.log.replication.factor=$KAFKA_REPLICATION_FACTOR
transaction.state.log.min.isr=$KAFKA_MIN_INSYNC_REPLICAS
group.initial.rebalance.delay.ms=0
log.retention.hours=-1
CONF
# the client configuration of the health check (the admin user, over TLS)
source /opt/eldercare/admin-client.sh
admin_client_conf /tmp/admin.properties
if [ ! -f /var/lib/kafka/data/meta.properties ]; then
  /opt/kafka/bin/kafka-storage.sh format --cluster-id "$KAFKA_CLUSTER_ID" --config "$cfg" \
    --add-scram "SCRAM-SHA-512=[name=admin,password=$admin_pw]"
fi
exec /opt/kafka/bin/kafka-server-start.sh "$cfg"
