# rclonepool as a container: rclone from Debian, rclonepool self-contained, running as an unprivileged user.
# No container registry is reachable from the machines this project is developed on, so this file is not built
# by the test suite; the suite tests its entry point, its health check and docker-compose.yml (see README).
#
#   docker build -t rclonepool .
#   docker compose up -d

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/RclonePool.Cli/RclonePool.Cli.csproj -c Release -r linux-x64 --self-contained \
      -p:PublishSingleFile=true -o /out

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends rclone ca-certificates curl libicu72 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 --shell /usr/sbin/nologin rclonepool \
 && mkdir -p /home/rclonepool/.config/rclonepool /home/rclonepool/.config/rclone /home/rclonepool/.cache/rclonepool \
 && chown -R rclonepool:rclonepool /home/rclonepool
COPY --from=build /out/rclonepool /usr/local/bin/rclonepool
COPY packaging/docker/entrypoint.sh /usr/local/bin/rclonepool-entrypoint
COPY packaging/docker/healthcheck.sh /usr/local/bin/rclonepool-healthcheck

USER rclonepool
ENV HOME=/home/rclonepool RCLONEPOOL_PORT=8080 DOTNET_CLI_TELEMETRY_OPTOUT=1
# The pool's config (and generated certificate), rclone's config, and the index and chunk cache.
VOLUME ["/home/rclonepool/.config/rclonepool", "/home/rclonepool/.config/rclone", "/home/rclonepool/.cache/rclonepool"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["/usr/local/bin/rclonepool-healthcheck"]
ENTRYPOINT ["/usr/local/bin/rclonepool-entrypoint"]
CMD ["serve"]
