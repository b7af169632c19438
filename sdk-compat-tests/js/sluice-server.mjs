// Starts the packaged Sluice server for a test file and stops it afterwards, or uses a running one.
//
// The server is $SLUICE_JAR (default ../../target/quarkus-app/quarkus-run.jar, built at the repository root with
// ./mvnw -B package -DskipTests), run by $SLUICE_JAVA, else $JAVA_HOME/bin/java, else Temurin 25, on a free
// 127.0.0.1 port with a fresh data directory; it is ready when GET /q/health/ready answers 200 (at most 60 s).
// With $SLUICE_ENDPOINT (e.g. http://127.0.0.1:9324) nothing is started.
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";

const here = dirname(fileURLToPath(import.meta.url));
const READY_TIMEOUT_MS = 60_000;

// jvmArgs: more -D options for the server (a quota test runs it in the sigv4 auth mode).
export async function startSluice(jvmArgs = []) {
    if (process.env.SLUICE_ENDPOINT) {
        return { endpoint: process.env.SLUICE_ENDPOINT, stop: async () => {} };
    }
    const jar = resolve(process.env.SLUICE_JAR ?? join(here, "..", "..", "target", "quarkus-app", "quarkus-run.jar"));
    if (!existsSync(jar)) {
        throw new Error(`No Sluice server at ${jar}. Build it at the repository root (./mvnw -B package -DskipTests), `
            + "set SLUICE_JAR, or set SLUICE_ENDPOINT to a running server");
    }
    const java = process.env.SLUICE_JAVA
        ?? (process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java")
            : "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    const dir = mkdtempSync(join(tmpdir(), "sluice-js-"));
    const logPath = join(dir, "server.log");
    const port = await freePort();
    const log = createWriteStream(logPath);
    const child = spawn(java, ["-Dquarkus.http.host=127.0.0.1", `-Dquarkus.http.port=${port}`,
        `-Dsluice.data-dir=${join(dir, "data")}`, ...jvmArgs, "-jar", jar], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    const exited = new Promise((done) => child.once("exit", done));
    const endpoint = `http://127.0.0.1:${port}`;
    const stop = async () => {
        if (child.exitCode === null && child.signalCode === null) {
            child.kill("SIGTERM");
            const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
            await exited;
            clearTimeout(killer);
        }
        rmSync(dir, { recursive: true, force: true });
    };
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) {
            const tail = readFileSync(logPath, "utf8").split("\n").slice(-60).join("\n");
            await stop();
            throw new Error(`Sluice exited with status ${child.exitCode} before it was ready; log:\n${tail}`);
        }
        try {
            const response = await fetch(`${endpoint}/q/health/ready`, { signal: AbortSignal.timeout(2_000) });
            if (response.status === 200) {
                return { endpoint, stop };
            }
        } catch {
            // connection refused until Quarkus has bound the port
        }
        await sleep(200);
    }
    const tail = readFileSync(logPath, "utf8").split("\n").slice(-60).join("\n");
    await stop();
    throw new Error(`Sluice was not ready within ${READY_TIMEOUT_MS} ms at ${endpoint}; log:\n${tail}`);
}

function freePort() {
    return new Promise((done, fail) => {
        const probe = createServer();
        probe.once("error", fail);
        probe.listen(0, "127.0.0.1", () => {
            const { port } = probe.address();
            probe.close(() => done(port));
        });
    });
}
