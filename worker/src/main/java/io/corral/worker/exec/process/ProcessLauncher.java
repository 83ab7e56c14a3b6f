package io.corral.worker.exec.process;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Starts a task's command so that it outlives this JVM: {@code setsid} gives it its own session and
 * process group, and a small {@code /bin/sh} wrapper runs it with output appended to files in the
 * task directory, waits for it (ignoring the stop signal itself, so that it survives to record the
 * outcome) and writes its exit code to the {@code exit} file. Both shells print their pid on the
 * pipe to this JVM before anything else, then never use it.
 */
final class ProcessLauncher {

  /**
   * $1 = task directory, then the command. The inner shell reports its pid and execs the command in
   * place, so the second pid is the task process itself.
   */
  static final String WRAPPER =
      String.join(
          "\n",
          "d=$1; shift",
          "echo $$ >\"$d/" + TaskDir.WRAPPER_PID + "\"",
          "echo $$",
          "trap : HUP INT QUIT TERM USR1 USR2 ALRM",
          "/bin/sh -c 'echo $$; exec \"$@\" </dev/null >>\"$0/"
              + TaskDir.STDOUT
              + "\" 2>>\"$0/"
              + TaskDir.STDERR
              + "\"' \"$d\" \"$@\"",
          "echo $? >\"$d/" + TaskDir.EXIT + "\"");

  private final Path setsid;
  private final Path setpriv;
  private final Path ip;

  ProcessLauncher(Path setsid, Path setpriv, Path ip) {
    this.setsid = setsid;
    this.setpriv = setpriv;
    this.ip = ip;
  }

  /**
   * The launcher using the host's util-linux {@code setsid} and {@code setpriv}, and iproute2's
   * {@code ip}.
   */
  static ProcessLauncher system() {
    return new ProcessLauncher(tool("setsid"), tool("setpriv"), tool("ip"));
  }

  private static Path tool(String name) {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return Path.of(name); // not installed: starting a task fails with a message naming it
  }

  /**
   * The argument list after the wrapper: the command, run through setpriv when it has its own user,
   * entering the task's network namespace first when it has one ({@code ip netns exec} execs in
   * place, so the pid stays the task's, and bind-mounts the namespace's resolv.conf).
   */
  List<String> command(LaunchPlan plan, Optional<Credentials> credentials, Optional<String> netns) {
    List<String> argv = new ArrayList<>();
    netns.ifPresent(ns -> argv.addAll(List.of(ip.toString(), "netns", "exec", ns)));
    credentials.ifPresent(
        c -> {
          argv.add(setpriv.toString());
          argv.add("--reuid=" + c.uid());
          argv.add("--regid=" + c.gid());
          argv.add(
              c.groups().isEmpty()
                  ? "--clear-groups"
                  : "--groups="
                      + c.groups().stream().map(String::valueOf).collect(Collectors.joining(",")));
          argv.add("--");
        });
    argv.addAll(plan.argv());
    return argv;
  }

  /**
   * Starts the command in {@code dir} with the plan's environment and working directory; throws
   * {@link IOException} with the reason when it could not be started.
   */
  Launched launch(TaskDir dir, LaunchPlan plan, Optional<Credentials> credentials)
      throws IOException {
    return launch(dir, plan, credentials, Optional.empty());
  }

  /** As {@link #launch(TaskDir, LaunchPlan, Optional)}, in the network namespace when given. */
  Launched launch(
      TaskDir dir, LaunchPlan plan, Optional<Credentials> credentials, Optional<String> netns)
      throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                setsid.toString(), "/bin/sh", "-c", WRAPPER, "corral-task", dir.path().toString()));
    cmd.addAll(command(plan, credentials, netns));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(plan.workdir().toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectError(
                ProcessBuilder.Redirect.appendTo(dir.file(TaskDir.WRAPPER_ERR).toFile()));
    pb.environment().clear();
    pb.environment().putAll(plan.env());
    Process process = pb.start();
    String wrapperPid;
    String childPid;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
      wrapperPid = out.readLine();
      childPid = out.readLine();
    }
    if (wrapperPid == null || childPid == null) {
      String why = waitForErrors(process, dir);
      throw new IOException(
          why.isEmpty() ? "the process wrapper ended before starting the command" : why);
    }
    int pid = Integer.parseInt(wrapperPid.strip());
    // The wrapper may already be gone for a command that ended at once; then no start time is
    // known, and it
    // reads as not alive, which is right.
    long start = ProcStat.read(pid).map(ProcStat::startTime).orElse(-1L);
    Optional<Process> handle = process.pid() == pid ? Optional.of(process) : Optional.empty();
    return new Launched(pid, start, Integer.parseInt(childPid.strip()), handle);
  }

  private static String waitForErrors(Process process, TaskDir dir) {
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return dir.wrapperErrors();
  }
}
