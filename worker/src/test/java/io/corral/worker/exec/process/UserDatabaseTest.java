package io.corral.worker.exec.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** runc's user resolution rules against small passwd and group files. */
class UserDatabaseTest {

  @TempDir Path dir;
  private UserDatabase db;

  @BeforeEach
  void files() throws Exception {
    Files.writeString(
        dir.resolve("passwd"),
        String.join(
            "\n", "root:x:0:0:root:/root:/bin/bash", "app:x:1000:1000:App:/home/app:/bin/sh", ""));
    Files.writeString(
        dir.resolve("group"),
        String.join("\n", "root:x:0:", "app:x:1000:", "staff:x:50:app,other", "audio:x:29:", ""));
    db = new UserDatabase(dir.resolve("passwd"), dir.resolve("group"));
  }

  @Test
  void aNameResolvesToItsIdsHomeAndMemberships() throws Exception {
    assertThat(db.resolve("app", List.of()))
        .isEqualTo(new Credentials(1000, 1000, List.of(1000, 50), "/home/app"));
  }

  @Test
  void anExplicitGroupAndExtraGroupsAreUsed() throws Exception {
    assertThat(db.resolve("app:audio", List.of("root", "7")))
        .isEqualTo(new Credentials(1000, 29, List.of(29, 50, 0, 7), "/home/app"));
    assertThat(db.resolve("1000:1234", List.of()).gid()).isEqualTo(1234);
  }

  @Test
  void anUnknownNumericUidRunsWithGroupZeroAndRootDirectoryAsHome() throws Exception {
    assertThat(db.resolve("4242", List.of())).isEqualTo(new Credentials(4242, 0, List.of(0), "/"));
  }

  @Test
  void unknownNamesAreErrorsInDockersWords() {
    assertThatThrownBy(() -> db.resolve("nobody-here", List.of()))
        .hasMessage("unable to find user nobody-here: no matching entries in passwd file");
    assertThatThrownBy(() -> db.resolve("app:nogroup", List.of()))
        .hasMessage("unable to find group nogroup: no matching entries in group file");
  }
}
