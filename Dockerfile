# Sluice's container image: the packaged server (target/quarkus-app) on a Java 21+ runtime.
#
#   ./mvnw -B package -DskipTests && docker build -t sluice .
#
# Without a JDK on the host, package it in a JDK container first (README.md, "Container image"). BASE may be any
# image with a Java 21 or newer `java` on the PATH, a POSIX sh and bash (for the health check).
ARG BASE=eclipse-temurin:25-jre
FROM ${BASE}

ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
ARG SOURCE=unknown
LABEL org.opencontainers.image.title="Sluice" \
      org.opencontainers.image.description="A self-hosted message queue that speaks the Amazon SQS API" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="Apache-2.0"

# A numeric user (10001:10001) so Kubernetes' runAsNonRoot can check it without reading /etc/passwd; the entries only
# give it a name. /data is its own and owner-only, as Sluice would make it: tenants' secrets are stored there.
RUN echo 'sluice:x:10001:10001:Sluice:/data:/usr/sbin/nologin' >> /etc/passwd \
 && echo 'sluice:x:10001:' >> /etc/group \
 && mkdir -p /data /opt/sluice \
 && chown 10001:10001 /data \
 && chmod 0700 /data

# The four parts of Quarkus' fast-jar layout, dependencies first: they change least often.
COPY target/quarkus-app/lib/ /opt/sluice/lib/
COPY target/quarkus-app/quarkus/ /opt/sluice/quarkus/
COPY target/quarkus-app/quarkus-run.jar /opt/sluice/
COPY target/quarkus-app/app/ /opt/sluice/app/
COPY LICENSE /opt/sluice/

# The heap follows the container's memory limit. Nothing is written outside /data and /tmp (java.io.tmpdir, where
# Vert.x keeps its file cache), so the image runs with a read-only root file system and a writable /tmp.
ENV SLUICE_DATA_DIR=/data \
    SLUICE_JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"

USER 10001:10001
WORKDIR /data
EXPOSE 9324
VOLUME ["/data"]

# bash's /dev/tcp instead of curl, which not every base image has.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${QUARKUS_HTTP_PORT:-9324} && printf 'GET /q/health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '\"status\": \"UP\"' <&3"]

# java is PID 1 (exec), so SIGTERM from docker stop or Kubernetes reaches it: a graceful stop, exit status 0.
# Arguments after the image name go to Sluice: --version, --help, -Dkey=value.
ENTRYPOINT ["/bin/sh", "-c", "exec java $SLUICE_JAVA_OPTS -jar /opt/sluice/quarkus-run.jar \"$@\"", "sluice"]
