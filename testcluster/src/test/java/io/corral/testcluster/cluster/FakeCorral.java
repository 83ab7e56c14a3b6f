package io.corral.testcluster.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A bash stand-in for {@code corral}, enough of the daemon and CLI contract to test the harness
 * before the real daemon exists: the daemon records the address it sees and "serves" its socket (a
 * file holding its pid), {@code info} succeeds while that pid lives, {@code swarm …} answers like
 * the real one, and every call is appended to {@code <node dir>/calls.log}.
 */
final class FakeCorral {

  private static final String SCRIPT =
      """
      #!/usr/bin/env bash
      set -u
      here="$(cd "$(dirname "$0")" && pwd)"
      socket=""
      args=()
      while [ $# -gt 0 ]; do
        case "$1" in
          --socket) socket="$2"; shift 2 ;;
          *) args+=("$1"); shift ;;
        esac
      done
      node_dir="$(dirname "$socket")"
      echo "${args[*]}" >> "$node_dir/calls.log"
      case "${args[0]:-}" in
        daemon)
          if [ -e "$here/crash" ]; then echo "fake daemon: boom" >&2; exit 3; fi
          rm -f "$socket"
          ip -o -4 addr show dev eth0 > "$node_dir/seen-address"
          echo "fake daemon $$ starting on $socket"
          if [ -e "$here/hang" ]; then exec sleep infinity; fi
          echo $$ > "$socket.tmp" && mv "$socket.tmp" "$socket"
          exec sleep infinity ;;
        info)
          if [ -f "$socket" ] && kill -0 "$(cat "$socket")" 2>/dev/null; then echo "fake daemon ok"; exit 0; fi
          echo "cannot reach the daemon at $socket" >&2; exit 1 ;;
        swarm)
          case "${args[1]:-}" in
            init) echo "Swarm initialized" ;;
            join-token) echo "TOKEN-${args[3]}" ;;
            join) echo "This node joined a swarm" ;;
            *) echo "fake corral: unsupported: ${args[*]}" >&2; exit 2 ;;
          esac ;;
        *) echo "fake corral: unsupported: ${args[*]}" >&2; exit 2 ;;
      esac
      """;

  private FakeCorral() {}

  /** Writes the script into {@code dir} and returns the command that runs it. */
  static CorralCommand install(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path script = dir.resolve("fake-corral.sh");
    Files.writeString(script, SCRIPT);
    return new CorralCommand(List.of("bash", script.toString()));
  }

  /** From now on daemons started from {@code dir}'s script exit at once with an error. */
  static void crashOnStart(Path dir) throws IOException {
    Files.writeString(dir.resolve("crash"), "");
  }

  /** From now on daemons started from {@code dir}'s script never open their socket. */
  static void neverReady(Path dir) throws IOException {
    Files.writeString(dir.resolve("hang"), "");
  }

  static List<String> calls(TestCluster cluster, String node) throws IOException {
    return Files.readAllLines(cluster.files(node).dir().resolve("calls.log"));
  }
}
