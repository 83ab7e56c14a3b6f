package io.corral.testcluster.bench;

import io.corral.testcluster.net.CommandResult;
import io.corral.testcluster.net.Shell;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Docker Swarm on the local engine (one node): overlay network {@code cbench-net}, services {@code
 * cbench-srv} (VIP) and {@code cbench-srv-rr} (dnsrr) and {@code cbench-cli} of corral-test/web:1,
 * one task each; the probe runs in the client container's network namespace ({@code nsenter -t PID
 * -n}) and asks Docker's embedded resolver, 127.0.0.11. With a single node every task is on the
 * same host, so its overlay carries no VXLAN traffic.
 */
final class SwarmNetTarget implements NetworkTarget {

  static final String IMAGE = "corral-test/web:1";
  static final String NETWORK = "cbench-net";
  private static final Duration CLI = Duration.ofMinutes(2);
  private static final List<String> SERVICES = List.of("cbench-srv", "cbench-srv-rr", "cbench-cli");

  private final String docker;
  private final String description;
  private final List<String> probeJvm;

  private SwarmNetTarget(String docker, String description, List<String> probeJvm) {
    this.docker = docker;
    this.description = description;
    this.probeJvm = probeJvm;
  }

  static SwarmNetTarget start(
      String docker, String description, List<String> probeJvm, Duration timeout) {
    SwarmNetTarget t = new SwarmNetTarget(docker, description, probeJvm);
    try {
      t.removeAll();
      t.run("network", "create", "-d", "overlay", NETWORK);
      t.run("service", "create", "-d", "--name", "cbench-srv", "--network", NETWORK, IMAGE);
      t.run(
          "service",
          "create",
          "-d",
          "--name",
          "cbench-srv-rr",
          "--endpoint-mode",
          "dnsrr",
          "--network",
          NETWORK,
          IMAGE);
      t.run("service", "create", "-d", "--name", "cbench-cli", "--network", NETWORK, IMAGE);
      NetworkBench.await(
          timeout,
          "the swarm's three services running",
          () ->
              t.running("cbench-srv").size() == 1
                  && t.running("cbench-srv-rr").size() == 1
                  && t.running("cbench-cli").size() == 1
                  && t.clientPid().isPresent());
      return t;
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
  }

  private CommandResult run(String... args) {
    List<String> cmd = new ArrayList<>(List.of(docker));
    cmd.addAll(List.of(args));
    CommandResult r = Shell.run(cmd, CLI);
    if (!r.ok()) {
      throw new TargetFailure(
          "docker " + String.join(" ", args) + " failed: " + r.stderr().strip());
    }
    return r;
  }

  private CommandResult tryRun(String... args) {
    List<String> cmd = new ArrayList<>(List.of(docker));
    cmd.addAll(List.of(args));
    return Shell.run(cmd, CLI);
  }

  @Override
  public String name() {
    return "docker swarm";
  }

  @Override
  public String layout() {
    return description + "; every task on the one node";
  }

  private Optional<String> clientPid() {
    CommandResult ps =
        tryRun("ps", "-q", "--filter", "label=com.docker.swarm.service.name=cbench-cli");
    List<String> ids = ps.stdout().lines().filter(l -> !l.isBlank()).toList();
    if (!ps.ok() || ids.size() != 1) {
      return Optional.empty();
    }
    CommandResult pid = tryRun("inspect", "-f", "{{.State.Pid}}", ids.get(0));
    String p = pid.stdout().strip();
    return pid.ok() && !p.isEmpty() && !p.equals("0") ? Optional.of(p) : Optional.empty();
  }

  @Override
  public List<Client> clients() {
    List<String> prefix =
        new ArrayList<>(
            List.of(
                "nsenter",
                "-t",
                clientPid().orElseThrow(() -> new TargetFailure("no cbench-cli container")),
                "-n",
                "--"));
    prefix.addAll(probeJvm);
    return List.of(new Client("local", prefix));
  }

  @Override
  public String resolver() {
    return "127.0.0.11";
  }

  @Override
  public String vipService() {
    return "cbench-srv";
  }

  @Override
  public String rrService() {
    return "cbench-srv-rr";
  }

  @Override
  public List<RunningTask> running(String service) {
    CommandResult ps = tryRun("service", "ps", "-q", "--filter", "desired-state=running", service);
    if (!ps.ok()) {
      return List.of();
    }
    List<RunningTask> all = new ArrayList<>();
    for (String id : ps.stdout().lines().filter(l -> !l.isBlank()).toList()) {
      CommandResult r =
          tryRun(
              "inspect",
              "-f",
              "{{.Status.State}}|{{json .Status.Timestamp}}|{{range .NetworksAttachments}}"
                  + "{{if eq .Network.Spec.Name \""
                  + NETWORK
                  + "\"}}{{index .Addresses 0}}{{end}}{{end}}",
              id);
      String[] f = r.stdout().strip().split("\\|");
      if (r.ok() && f.length == 3 && f[0].equals("running") && !f[2].isEmpty()) {
        // {{json}}: RFC 3339 in quotes; the plain template would print Go's time.String().
        all.add(new RunningTask(f[2].split("/")[0], Instant.parse(f[1].replace("\"", ""))));
      }
    }
    return all;
  }

  @Override
  public Optional<String> vip(String service) {
    CommandResult r =
        tryRun(
            "service", "inspect", "-f", "{{range .Endpoint.VirtualIPs}}{{.Addr}} {{end}}", service);
    return r.stdout().strip().isEmpty()
        ? Optional.empty()
        : Optional.of(r.stdout().strip().split("\\s+")[0].split("/")[0]);
  }

  @Override
  public void scale(String service, int replicas) {
    run("service", "scale", "-d", service + "=" + replicas);
  }

  private void removeAll() {
    for (String s : SERVICES) {
      tryRun("service", "rm", s);
    }
    // The network is in use until the service's tasks are gone.
    long deadline = System.nanoTime() + CLI.toNanos();
    while (tryRun("network", "inspect", NETWORK).ok() && System.nanoTime() < deadline) {
      if (tryRun("network", "rm", NETWORK).ok()) {
        return;
      }
      NetworkBench.pause(Duration.ofMillis(500));
    }
  }

  @Override
  public void close() {
    try {
      removeAll();
    } catch (RuntimeException e) {
      System.err.println(
          "corral-bench: removing the swarm services failed: "
              + e.getMessage()
              + "; remove them by hand: docker service rm "
              + String.join(" ", SERVICES));
    }
  }
}
