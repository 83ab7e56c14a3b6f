package io.corral.worker.exec.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves a task's {@code user} ("name", "uid", "name:group", "uid:gid") and extra groups against
 * passwd and group files, with the rules runc applies inside a container: a numeric uid missing
 * from passwd runs with gid 0 and home "/"; a name must exist; supplementary groups are the user's
 * memberships plus the extra groups.
 */
public final class UserDatabase {

  /** The user or a group cannot be resolved; the message says which, in docker's words. */
  public static final class UnknownUserException extends Exception {
    public UnknownUserException(String message) {
      super(message);
    }
  }

  private record PasswdEntry(String name, int uid, int gid, String home) {}

  private record GroupEntry(String name, int gid, List<String> members) {}

  private final Path passwd;
  private final Path group;

  public UserDatabase(Path passwd, Path group) {
    this.passwd = passwd;
    this.group = group;
  }

  /** The host's {@code /etc/passwd} and {@code /etc/group}. */
  public static UserDatabase system() {
    return new UserDatabase(Path.of("/etc/passwd"), Path.of("/etc/group"));
  }

  public Credentials resolve(String user, List<String> extraGroups)
      throws UnknownUserException, IOException {
    String[] parts = user.split(":", 2);
    String userPart = parts[0];
    List<PasswdEntry> users = readPasswd();
    Optional<PasswdEntry> entry =
        users.stream()
            .filter(
                isNumeric(userPart)
                    ? u -> u.uid() == Integer.parseInt(userPart)
                    : u -> u.name().equals(userPart))
            .findFirst();
    if (entry.isEmpty() && !isNumeric(userPart)) {
      throw new UnknownUserException(
          "unable to find user " + userPart + ": no matching entries in passwd file");
    }
    int uid = isNumeric(userPart) ? Integer.parseInt(userPart) : entry.get().uid();
    int gid = entry.map(PasswdEntry::gid).orElse(0);
    List<GroupEntry> groups = readGroups();
    if (parts.length == 2 && !parts[1].isEmpty()) {
      gid = groupId(parts[1], groups);
    }
    Set<Integer> supplementary = new LinkedHashSet<>();
    supplementary.add(gid);
    entry.ifPresent(
        e ->
            groups.stream()
                .filter(g -> g.members().contains(e.name()))
                .forEach(g -> supplementary.add(g.gid())));
    for (String extra : extraGroups) {
      supplementary.add(groupId(extra, groups));
    }
    return new Credentials(
        uid, gid, new ArrayList<>(supplementary), entry.map(PasswdEntry::home).orElse("/"));
  }

  private static int groupId(String name, List<GroupEntry> groups) throws UnknownUserException {
    if (isNumeric(name)) {
      return Integer.parseInt(name);
    }
    return groups.stream()
        .filter(g -> g.name().equals(name))
        .findFirst()
        .map(GroupEntry::gid)
        .orElseThrow(
            () ->
                new UnknownUserException(
                    "unable to find group " + name + ": no matching entries in group file"));
  }

  private static boolean isNumeric(String s) {
    return !s.isEmpty() && s.length() <= 9 && s.chars().allMatch(Character::isDigit);
  }

  private List<PasswdEntry> readPasswd() throws IOException {
    List<PasswdEntry> entries = new ArrayList<>();
    for (String[] f : fields(passwd)) {
      if (f.length >= 6 && isNumeric(f[2]) && isNumeric(f[3])) {
        entries.add(new PasswdEntry(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[5]));
      }
    }
    return entries;
  }

  private List<GroupEntry> readGroups() throws IOException {
    List<GroupEntry> entries = new ArrayList<>();
    for (String[] f : fields(group)) {
      if (f.length >= 3 && isNumeric(f[2])) {
        List<String> members =
            f.length >= 4 && !f[3].isEmpty() ? List.of(f[3].split(",")) : List.of();
        entries.add(new GroupEntry(f[0], Integer.parseInt(f[2]), members));
      }
    }
    return entries;
  }

  private static List<String[]> fields(Path file) throws IOException {
    List<String[]> rows = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      return rows; // no such database: only numeric ids resolve, as in a container without
      // /etc/passwd
    }
    for (String line : lines) {
      if (!line.isBlank() && !line.startsWith("#")) {
        rows.add(line.split(":", -1));
      }
    }
    return rows;
  }
}
