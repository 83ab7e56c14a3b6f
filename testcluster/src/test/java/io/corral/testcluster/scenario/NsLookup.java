package io.corral.testcluster.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What busybox {@code nslookup -type=a NAME} printed: the IPv4 addresses of the answer (not the
 * server's), or NXDOMAIN. Busybox prints the server first ({@code Server:} / {@code Address:
 * 10.0.1.1:53}), then one {@code Name:} / {@code Address: …} pair per record (older versions:
 * {@code Address 1: …}), and {@code ** server can't find NAME: NXDOMAIN} for an unknown name.
 */
record NsLookup(List<String> addresses, boolean nxdomain, String output) {

  private static final Pattern ADDRESS =
      Pattern.compile("^Address(?:\\s+\\d+)?:\\s*(\\d+\\.\\d+\\.\\d+\\.\\d+)\\s*$");

  static NsLookup parse(String stdout, String stderr) {
    List<String> found = new ArrayList<>();
    boolean inAnswer = false;
    for (String line : stdout.split("\n")) {
      String l = line.strip();
      if (l.startsWith("Name:")) {
        inAnswer = true; // the server's own lines come before the first Name:
        continue;
      }
      Matcher m = ADDRESS.matcher(l);
      if (inAnswer && m.matches()) {
        found.add(m.group(1));
      }
    }
    String all = stdout + "\n" + stderr;
    return new NsLookup(List.copyOf(found), all.contains("NXDOMAIN"), all.strip());
  }
}
