package io.corral.worker.exec.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Engine API client against the real daemon (skipped without one). */
class DockerClientTest {
  private static final String RUN_LABEL = "io.corral.test.run";
  private final String run = UUID.randomUUID().toString();
  private DockerClient docker;

  @BeforeEach
  void connect() {
    docker = DockerAvailable.clientOrSkip();
  }

  @AfterEach
  void cleanUp() {
    if (docker != null) {
      for (ContainerSummary c : docker.listContainers(Map.of(RUN_LABEL, run))) {
        docker.removeContainer(c.id(), true);
      }
      docker.close();
    }
  }

  private Map<String, Object> config(String... cmd) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("Image", DockerAvailable.IMAGE);
    config.put("Cmd", List.of(cmd));
    config.put("Labels", Map.of(RUN_LABEL, run));
    config.put("HostConfig", Map.of("NetworkMode", "none"));
    return config;
  }

  private String name(String what) {
    return "corral-client-test-" + what + "-" + run.substring(0, 8);
  }

  @Test
  void speaksApiVersionOneFortyOne() {
    EngineVersion version = docker.version();
    assertFalse(version.version().isEmpty());
    // The client's fixed prefix must be within what the daemon accepts.
    assertTrue(
        compare(version.minApiVersion(), "1.41") <= 0 && compare("1.41", version.apiVersion()) <= 0,
        "daemon speaks " + version.minApiVersion() + ".." + version.apiVersion());
  }

  @Test
  void runsAContainerAndReadsItsExitCodeLogsAndState() throws Exception {
    String id =
        docker.createContainer(name("run"), config("sh", "-c", "echo hi; echo err >&2; exit 3"));
    CompletableFuture<Integer> exit;
    docker.startContainer(id);
    exit = docker.waitContainer(id);
    assertEquals(3, exit.get(60, TimeUnit.SECONDS));

    ContainerState state = docker.inspectContainer(id).orElseThrow();
    assertEquals("exited", state.status());
    assertEquals(3, state.exitCode());
    assertEquals(name("run"), state.name());
    assertEquals(run, state.labels().get(RUN_LABEL));
    assertNotNull(state.startedAt());
    assertNotNull(state.finishedAt());
    assertTrue(state.exited());

    List<LogEntry> lines = docker.logs(id, LogOptions.all());
    // The engine copies stdout and stderr separately: their relative order in the log is not the
    // write order.
    assertEquals(
        Set.of("hi", "err"), lines.stream().map(LogEntry::line).collect(Collectors.toSet()));
    assertEquals(2, lines.size());
    for (LogEntry line : lines) {
      assertEquals(
          line.line().equals("err") ? LogEntry.Stream.STDERR : LogEntry.Stream.STDOUT,
          line.stream());
      assertNotNull(line.timestamp());
    }

    List<ContainerSummary> listed = docker.listContainers(Map.of(RUN_LABEL, run));
    assertEquals(List.of(id), listed.stream().map(ContainerSummary::id).toList());
    assertEquals(name("run"), listed.get(0).name());
  }

  @Test
  void followsLogsUntilTheContainerStops() throws Exception {
    String id =
        docker.createContainer(
            name("follow"), config("sh", "-c", "for i in 1 2 3; do echo line$i; sleep 0.2; done"));
    docker.startContainer(id);
    List<String> seen = new ArrayList<>();
    try (EngineStream stream =
        docker.logs(
            id,
            false,
            new LogOptions(true, false, -1, null),
            e -> {
              synchronized (seen) {
                seen.add(e.line());
              }
            })) {
      stream.done().get(60, TimeUnit.SECONDS);
    }
    synchronized (seen) {
      assertEquals(List.of("line1", "line2", "line3"), seen);
    }
  }

  @Test
  void stopsARunningContainerWithinItsGrace() throws Exception {
    // sh ignores SIGTERM as PID 1 without a handler, so the stop ends in a kill after the grace
    // period.
    String id = docker.createContainer(name("stop"), config("sleep", "300"));
    docker.startContainer(id);
    assertTrue(docker.inspectContainer(id).orElseThrow().running());
    docker.stopContainer(id, Duration.ofSeconds(1));
    ContainerState state = docker.inspectContainer(id).orElseThrow();
    assertFalse(state.running());
    assertEquals(137, state.exitCode());
    // Stopping again is not an error.
    docker.stopContainer(id, Duration.ZERO);
    docker.removeContainer(id, false);
    assertTrue(docker.inspectContainer(id).isEmpty());
    docker.removeContainer(id, true); // already gone is fine
  }

  @Test
  void reportsTheDaemonsWordingForAMissingImage() {
    assertTrue(docker.inspectImage("corral-test/nope:1").isEmpty());
    EngineException e =
        assertThrows(
            EngineException.class,
            () ->
                docker.createContainer(
                    name("nope"),
                    Map.of("Image", "corral-test/nope:1", "Labels", Map.of(RUN_LABEL, run))));
    assertEquals(404, e.status());
    assertEquals("No such image: corral-test/nope:1", e.getMessage());
  }

  @Test
  void aNameInUseIsAConflict() {
    docker.createContainer(name("dup"), config("true"));
    EngineException e =
        assertThrows(
            EngineException.class, () -> docker.createContainer(name("dup"), config("true")));
    assertTrue(e.conflict(), e.getMessage());
  }

  private static int compare(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    int major = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
    return major != 0 ? major : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
  }
}
