package io.corral.testcluster.bench;

import io.corral.testcluster.net.CommandResult;
import io.corral.testcluster.net.Shell;
import io.corral.worker.exec.docker.DockerClient;
import io.corral.worker.exec.docker.EngineException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The local Docker engine as a swarm manager for the benchmark: used as it is when it is one, made
 * one with {@code docker swarm init --advertise-addr 127.0.0.1} when it is in no swarm (and made to
 * leave again on {@link #close()}), or unavailable with the reason.
 */
final class LocalSwarm implements AutoCloseable {

  private static final Duration CLI_TIMEOUT = Duration.ofMinutes(1);

  /** Made by docker swarm init and kept by docker swarm leave. */
  private static final String GATEWAY_BRIDGE = "docker_gwbridge";

  private final Optional<String> docker;
  private final SwarmPlan plan;
  private final boolean initialised;
  private final boolean madeGatewayBridge;
  private final String description;
  private final AtomicBoolean left = new AtomicBoolean();
  private Thread exitHook;

  private LocalSwarm(
      Optional<String> docker,
      SwarmPlan plan,
      boolean initialised,
      boolean madeGatewayBridge,
      String description) {
    this.docker = docker;
    this.plan = plan;
    this.initialised = initialised;
    this.madeGatewayBridge = madeGatewayBridge;
    this.description = description;
  }

  /** Inspects the engine and, when it is in no swarm, initialises one. */
  static LocalSwarm prepare(DockerClient engine, String image) {
    Optional<String> docker = onPath("docker");
    if (docker.isEmpty()) {
      return new LocalSwarm(
          docker,
          SwarmPlan.unavailable("no docker CLI on the PATH (Debian's docker.io has one)"),
          false,
          false,
          "");
    }
    SwarmPlan plan = SwarmPlan.decide(facts(docker.get(), engine, image), image);
    boolean initialised = false;
    boolean hadGatewayBridge = false;
    if (plan.action() == SwarmPlan.Action.INIT) {
      hadGatewayBridge =
          Shell.run(List.of(docker.get(), "network", "inspect", GATEWAY_BRIDGE), CLI_TIMEOUT).ok();
      CommandResult r =
          Shell.run(
              List.of(docker.get(), "swarm", "init", "--advertise-addr", "127.0.0.1"), CLI_TIMEOUT);
      if (!r.ok()) {
        plan = SwarmPlan.unavailable("docker swarm init failed: " + r.stderr().strip());
      } else {
        initialised = true;
      }
    }
    String description =
        plan.action() == SwarmPlan.Action.UNAVAILABLE ? "" : describe(docker.get());
    LocalSwarm swarm =
        new LocalSwarm(docker, plan, initialised, initialised && !hadGatewayBridge, description);
    if (initialised) {
      // A benchmark stopped with Ctrl-C must not leave the shared engine in a swarm it was not in.
      swarm.exitHook = new Thread(swarm::leave, "corral-bench-swarm-leave");
      Runtime.getRuntime().addShutdownHook(swarm.exitHook);
    }
    return swarm;
  }

  /** The swarm to benchmark, or empty when {@link #unavailableReason()} says why not. */
  Optional<SwarmTarget> target(DockerClient engine, List<String> imageAndCommand) {
    if (plan.action() == SwarmPlan.Action.UNAVAILABLE) {
      return Optional.empty();
    }
    return Optional.of(new SwarmTarget(docker.orElseThrow(), engine, description, imageAndCommand));
  }

  String unavailableReason() {
    return plan.reason();
  }

  /** How the swarm came to be, e.g. "the engine was not in a swarm: docker swarm init". */
  String setup() {
    return plan.reason() + (initialised ? " (it leaves the swarm at the end)" : "");
  }

  /** Leaves the swarm if this benchmark created it; a swarm that was there before is left alone. */
  @Override
  public void close() {
    if (exitHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(exitHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs or has run
      }
    }
    leave();
  }

  private void leave() {
    if (initialised && left.compareAndSet(false, true)) {
      CommandResult r =
          Shell.run(List.of(docker.orElseThrow(), "swarm", "leave", "--force"), CLI_TIMEOUT);
      if (!r.ok()) {
        System.err.println(
            "corral-bench: docker swarm leave --force failed: "
                + r.stderr().strip()
                + "; run it by hand to take the engine out of the swarm this benchmark made");
      } else if (madeGatewayBridge) {
        Shell.run(List.of(docker.orElseThrow(), "network", "rm", GATEWAY_BRIDGE), CLI_TIMEOUT);
      }
    }
  }

  private static SwarmPlan.EngineFacts facts(String docker, DockerClient engine, String image) {
    boolean imagePresent;
    try {
      if (!engine.ping()) {
        return engineDown(
            "no Docker engine answers on " + engine.socket() + "; run bin/ci-docker-setup as root");
      }
      imagePresent = engine.inspectImage(image).isPresent();
    } catch (EngineException e) {
      return engineDown("the Docker engine on " + engine.socket() + " failed: " + e.getMessage());
    }
    CommandResult r =
        Shell.run(
            List.of(
                docker,
                "info",
                "--format",
                "{{.Swarm.LocalNodeState}}|{{.Swarm.ControlAvailable}}"),
            CLI_TIMEOUT);
    if (!r.ok()) {
      return engineDown("docker info failed: " + r.stderr().strip());
    }
    String[] state = r.stdout().strip().split("\\|");
    return new SwarmPlan.EngineFacts(
        "", imagePresent, state[0], state.length > 1 && state[1].equals("true"));
  }

  private static SwarmPlan.EngineFacts engineDown(String why) {
    return new SwarmPlan.EngineFacts(why, false, "", false);
  }

  private static String describe(String docker) {
    CommandResult r =
        Shell.run(
            List.of(docker, "info", "--format", "{{.Swarm.Nodes}}|{{.ServerVersion}}"),
            CLI_TIMEOUT);
    String[] info = r.stdout().strip().split("\\|");
    return info.length < 2
        ? "docker swarm"
        : "docker swarm (" + info[0] + "-node swarm, engine " + info[1] + ")";
  }

  private static Optional<String> onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) {
        return Optional.of(p.toString());
      }
    }
    return Optional.empty();
  }
}
