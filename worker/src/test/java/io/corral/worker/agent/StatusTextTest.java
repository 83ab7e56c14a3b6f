package io.corral.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.io.IOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class StatusTextTest {

  @Test
  void aDisconnectIsOneLineWithTheRootCausesMessageAndNoStackTrace() {
    Status s =
        Status.UNAVAILABLE
            .withDescription("io exception")
            .withCause(
                new IOException(
                    "wrapped", new ConnectException("Connection refused: /10.77.0.13:2377")));

    assertThat(s.toString()).contains("\tat "); // what the log used to show
    assertThat(StatusText.brief(s))
        .isEqualTo("UNAVAILABLE: io exception (Connection refused: /10.77.0.13:2377)");
  }

  @Test
  void withoutCauseOrDescriptionOnlyWhatThereIs() {
    assertThat(StatusText.brief(Status.CANCELLED)).isEqualTo("CANCELLED");
    assertThat(StatusText.brief(Status.PERMISSION_DENIED.withDescription("node removed")))
        .isEqualTo("PERMISSION_DENIED: node removed");
  }
}
