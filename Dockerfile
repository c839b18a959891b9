# Build: docker build -t samlet .   Run: docker run -p 8080:8080 -e SAMLET_DATABASE_URL=… samlet
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin samlet

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /var/lib/samlet samlet \
    && mkdir -p /var/lib/samlet && chown samlet /var/lib/samlet
COPY --from=build /src/target/release/samlet /usr/local/bin/samlet
USER samlet
ENV SAMLET_LISTEN=0.0.0.0:8080 SAMLET_DATA_DIR=/var/lib/samlet SAMLET_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ok <&3"]
ENTRYPOINT ["/usr/local/bin/samlet"]
CMD ["serve"]
