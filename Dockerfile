# The Delegate Network app image: multi-stage, non-root, production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY test ./test
COPY bench ./bench
RUN npx tsc -p tsconfig.json && npm prune --omit=dev

FROM node:20-bookworm-slim
# libpocketsphinx3 and pocketsphinx-en-us: the speech engine that needs no download (scripts/setup installs the same).
RUN apt-get update && apt-get install -y --no-install-recommends redis-tools tini flite \
    libpocketsphinx3 pocketsphinx-en-us \
    && rm -rf /var/lib/apt/lists/* && useradd --system --uid 10001 --home /app delegate \
    && mkdir -p /var/lib/delegate-network/media && chown -R delegate /var/lib/delegate-network
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
# The ASR workers' gRPC contract is read at run time from beside the compiled code.
COPY src/speech/grpc/asr.proto ./dist/src/speech/grpc/asr.proto
COPY package.json ./
COPY data ./data
COPY grammars ./grammars
# The telephone-channel transforms pocketsphinx applies by default (models/README.md); a Vosk model is not in
# the image: the asr service mounts ./models.
COPY models/telephone-mllr ./models/telephone-mllr
COPY models/telephone-mllr-noisy ./models/telephone-mllr-noisy
USER delegate
# UV_THREADPOOL_SIZE: speech decodes run on libuv pool threads (README, concurrent calls).
ENV NODE_ENV=production DATA_DIR=/var/lib/delegate-network UV_THREADPOOL_SIZE=16
# The app's outbound event socket (FreeSWITCH connects here), the web server, an ASR worker.
EXPOSE 8085 8080 50051
ENTRYPOINT ["/usr/bin/tini", "--", "node", "dist/src/cli/main.js"]
CMD ["serve"]
