# The admin user's client configuration (SASL_SSL, SCRAM-SHA-512, the CA of the secrets folder),
# sourced by start.sh (for the kafka container's health check) and init-security.sh (kafka-init).
admin_client_conf() {  # path
  cat > "$1" <<CONF
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(cat "${KAFKA_SECRETS:-/run/secrets/kafka}/users/admin")";
ssl.truststore.type=PEM
ssl.truststore.location=${KAFKA_SECRETS:-/run/secrets/kafka}/ca.pem
CONF
}
