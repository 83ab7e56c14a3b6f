package io.corral.worker.exec.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A small Docker Engine API (v1.41) client over the daemon's unix socket: the calls the Docker
 * executor needs.
 */
public final class DockerClient implements AutoCloseable {
  public static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");

  /** Docker 20.10 (Debian 12's docker.io) speaks 1.41; later engines still accept it. */
  public static final String API_VERSION = "v1.41";

  private final EngineTransport transport;
  private final Duration requestTimeout;

  public DockerClient(Path socket, Duration requestTimeout) {
    this.transport = new EngineTransport(socket);
    this.requestTimeout = requestTimeout;
  }

  /**
   * A client of the default socket with a 2-minute bound on each call that is not a wait or a
   * followed log.
   */
  public static DockerClient local() {
    return new DockerClient(DEFAULT_SOCKET, Duration.ofMinutes(2));
  }

  public Path socket() {
    return transport.socket();
  }

  /** True when a daemon answers {@code /_ping} with OK. */
  public boolean ping() {
    try {
      EngineResponse r = call(HttpMethod.GET, "/_ping", null, requestTimeout);
      return r.ok() && r.text().strip().equals("OK");
    } catch (EngineException unreachable) {
      return false;
    }
  }

  public EngineVersion version() {
    JsonNode v = expect(call(HttpMethod.GET, "/version", null, requestTimeout), "version").json();
    return new EngineVersion(
        Json.string(v, "Version"),
        Json.string(v, "ApiVersion"),
        Json.string(v, "MinAPIVersion"),
        Json.string(v, "Os"),
        Json.string(v, "Arch"));
  }

  /** The local image, or empty when the daemon has no such image. */
  public Optional<ImageInfo> inspectImage(String reference) {
    EngineResponse r =
        call(HttpMethod.GET, "/images/" + path(reference) + "/json", null, requestTimeout);
    if (r.status() == 404) {
      return Optional.empty();
    }
    JsonNode image = expect(r, "inspect image " + reference).json();
    return Optional.of(new ImageInfo(Json.string(image, "Id"), Json.stringList(image, "RepoTags")));
  }

  /**
   * Creates a container; returns its id. 404 (no such image) and 409 (name in use) raise an
   * EngineException.
   */
  public String createContainer(String name, Map<String, Object> config) {
    EngineResponse r =
        call(
            HttpMethod.POST,
            "/containers/create?name=" + query(name),
            Json.write(config),
            requestTimeout);
    return Json.string(expect(r, "create container " + name).json(), "Id");
  }

  public void startContainer(String id) {
    EngineResponse r =
        call(HttpMethod.POST, "/containers/" + path(id) + "/start", null, requestTimeout);
    if (r.status() != 304) { // 304: already started
      expect(r, "start container " + id);
    }
  }

  /**
   * Sends the stop signal and kills after {@code grace} (rounded up to whole seconds, as the API
   * takes them).
   */
  public void stopContainer(String id, Duration grace) {
    long seconds = secondsRoundedUp(grace);
    EngineResponse r =
        call(
            HttpMethod.POST,
            "/containers/" + path(id) + "/stop?t=" + seconds,
            null,
            requestTimeout.plus(grace));
    if (r.status() != 304) { // 304: already stopped
      expect(r, "stop container " + id);
    }
  }

  /** Sends a signal; a container that is not running (409) is left as it is. */
  public void killContainer(String id, String signal) {
    EngineResponse r =
        call(
            HttpMethod.POST,
            "/containers/" + path(id) + "/kill?signal=" + query(signal),
            null,
            requestTimeout);
    if (r.status() != 409) {
      expect(r, "kill container " + id);
    }
  }

  /**
   * Removes a container (with {@code force}, a running one too) and its anonymous volumes; gone
   * already is fine.
   */
  public void removeContainer(String id, boolean force) {
    EngineResponse r =
        call(
            HttpMethod.DELETE,
            "/containers/" + path(id) + "?v=true&force=" + force,
            null,
            requestTimeout);
    // 404: already gone; 409: "removal already in progress" by an earlier call.
    if (r.status() != 404 && r.status() != 409) {
      expect(r, "remove container " + id);
    }
  }

  /** The container's state, or empty when there is no such container. */
  public Optional<ContainerState> inspectContainer(String idOrName) {
    EngineResponse r =
        call(HttpMethod.GET, "/containers/" + path(idOrName) + "/json", null, requestTimeout);
    if (r.status() == 404) {
      return Optional.empty();
    }
    JsonNode c = expect(r, "inspect container " + idOrName).json();
    JsonNode state = Json.object(c, "State");
    JsonNode config = Json.object(c, "Config");
    JsonNode host = Json.object(c, "HostConfig");
    JsonNode health = Json.object(state, "Health");
    return Optional.of(
        new ContainerState(
            Json.string(c, "Id"),
            stripSlash(Json.string(c, "Name")),
            Json.string(config, "Image"),
            Json.string(state, "Status"),
            Json.bool(state, "Running"),
            (int) Json.number(state, "ExitCode"),
            (int) Json.number(state, "Pid"),
            Json.time(state, "StartedAt"),
            Json.time(state, "FinishedAt"),
            Json.string(state, "Error"),
            Json.bool(state, "OOMKilled"),
            health.isEmpty() ? null : Json.string(health, "Status"),
            Json.bool(config, "Tty"),
            Json.stringMap(config, "Labels"),
            Json.number(host, "Memory"),
            Json.number(host, "NanoCpus")));
  }

  /**
   * Completes with the exit code once the container is not running. Call it after the container
   * started: a created container counts as not running. Cancelling the future ends the wait.
   */
  public CompletableFuture<Integer> waitContainer(String id) {
    return transport
        .exchange(
            HttpMethod.POST,
            API_PREFIX + "/containers/" + path(id) + "/wait?condition=not-running",
            null)
        .thenApply(
            r -> {
              JsonNode body = expect(r, "wait for container " + id).json();
              String error = Json.string(Json.object(body, "Error"), "Message");
              if (!error.isEmpty()) {
                throw new EngineException(r.status(), "wait for container " + id + ": " + error);
              }
              return (int) Json.number(body, "StatusCode");
            });
  }

  /** Reads log lines as they come; with {@code follow} the stream ends when the container stops. */
  public EngineStream logs(String id, boolean tty, LogOptions options, Consumer<LogEntry> sink) {
    StringBuilder uri =
        new StringBuilder(API_PREFIX)
            .append("/containers/")
            .append(path(id))
            .append("/logs?stdout=true&stderr=true")
            .append("&follow=")
            .append(options.follow())
            .append("&timestamps=")
            .append(options.timestamps())
            .append("&tail=")
            .append(options.tail() < 0 ? "all" : Integer.toString(options.tail()));
    if (options.since() != null) {
      uri.append("&since=")
          .append(options.since().getEpochSecond())
          .append('.')
          .append(String.format("%09d", options.since().getNano()));
    }
    LogDecoder decoder = new LogDecoder(tty, options.timestamps(), sink);
    EngineStream raw = transport.stream(HttpMethod.GET, uri.toString(), decoder::feed);
    // Callers see the end only after the last line without a newline was emitted too.
    CompletableFuture<Void> done = raw.done().whenComplete((r, e) -> decoder.finish());
    return new EngineStream(done, raw::close);
  }

  /** All log lines written so far (not followed). */
  public List<LogEntry> logs(String id, LogOptions options) {
    boolean tty =
        inspectContainer(id)
            .map(ContainerState::tty)
            .orElseThrow(() -> new EngineException(404, "No such container: " + id));
    List<LogEntry> lines = new ArrayList<>();
    LogOptions once = new LogOptions(false, options.timestamps(), options.tail(), options.since());
    try (EngineStream stream =
        logs(
            id,
            tty,
            once,
            entry -> {
              synchronized (lines) {
                lines.add(entry);
              }
            })) {
      await(stream.done(), requestTimeout, "logs of container " + id);
    }
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** Containers (running or not) that carry every one of {@code labels}. */
  public List<ContainerSummary> listContainers(Map<String, String> labels) {
    List<String> filters = new ArrayList<>();
    labels.forEach((k, v) -> filters.add(k + "=" + v));
    String uri = "/containers/json?all=true&filters=" + query(Json.write(Map.of("label", filters)));
    EngineResponse r = call(HttpMethod.GET, uri, null, requestTimeout);
    expect(r, "list containers");
    List<ContainerSummary> out = new ArrayList<>();
    JsonNode list = Json.parse(r.text());
    if (list.isArray()) {
      for (JsonNode c : list) {
        List<String> names = Json.stringList(c, "Names");
        out.add(
            new ContainerSummary(
                Json.string(c, "Id"),
                names.isEmpty() ? "" : stripSlash(names.get(0)),
                Json.string(c, "State"),
                Json.stringMap(c, "Labels")));
      }
    }
    return out;
  }

  @Override
  public void close() {
    transport.close();
  }

  private static final String API_PREFIX = "/" + API_VERSION;

  private EngineResponse call(HttpMethod method, String uri, String body, Duration timeout) {
    return await(transport.exchange(method, API_PREFIX + uri, body), timeout, method + " " + uri);
  }

  private static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new EngineException(what + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new EngineException(
          "the Docker daemon did not answer " + what + " within " + timeout, e);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted during " + what, e);
    }
  }

  private static EngineResponse expect(EngineResponse r, String what) {
    if (!r.ok()) {
      throw new EngineException(r.status(), r.errorMessage());
    }
    return r;
  }

  /**
   * The Engine API counts stop timeouts in whole seconds; rounding up never cuts a grace period
   * short.
   */
  static long secondsRoundedUp(Duration d) {
    return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
  }

  private static String stripSlash(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }

  private static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /**
   * Encodes a path part; '/' and ':' stay, since image references contain them and the daemon's
   * routes take them.
   */
  private static String path(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("%2F", "/")
        .replace("%3A", ":");
  }
}
