package io.corral.cli.service;

import static io.corral.cli.FakeDaemon.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.corral.api.RemoveServiceRequest;
import io.corral.cli.FakeDaemon;
import io.corral.cli.FakeDaemon.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceRemoveCommandTest {

  static final String WEB = "web00000000000000000000001";
  static final String WEB2 = "web00000000000000000000002";
  static final String API = "api00000000000000000000001";

  @TempDir Path dir;
  FakeDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    daemon =
        FakeDaemon.start(dir)
            .add(
                service(WEB, "web", "app:1", 1),
                service(WEB2, "web2", "app:1", 1),
                service(API, "api", "api:1", 1));
  }

  @AfterEach
  void stop() throws Exception {
    daemon.close();
  }

  @Test
  void removesByNameIdAndUniquePrefixPrintingTheArguments() {
    Result r = daemon.run("service", "rm", "web", WEB2, "api0");

    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo("web\n" + WEB2 + "\napi0\n");
    assertThat(daemon.requests(RemoveServiceRequest.class))
        .extracting(RemoveServiceRequest::getServiceId)
        .containsExactly(WEB, WEB2, API);
    assertThat(daemon.service(WEB)).isNull();
  }

  @Test
  void goesOnAfterFailuresAndReportsThemAll() {
    Result r = daemon.run("service", "remove", "nope", "web000", "api");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("api\n");
    assertThat(r.err())
        .isEqualTo(
            "Error: No such service: nope\n"
                + "Error response from daemon: service web000 is ambiguous (2 matches found)\n");
    assertThat(daemon.service(WEB)).isNotNull();
    assertThat(daemon.service(API)).isNull();
  }
}
