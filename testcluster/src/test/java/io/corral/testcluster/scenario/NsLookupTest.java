package io.corral.testcluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NsLookupTest {

  @Test
  void readsEveryAnswerAddressButNotTheServers() {
    String out =
        """
        Server:\t\t10.0.1.1
        Address:\t10.0.1.1:53

        Non-authoritative answer:
        Name:\ttasks.web
        Address: 10.0.1.5
        Name:\ttasks.web
        Address: 10.0.1.6

        """;
    NsLookup r = NsLookup.parse(out, "");
    assertThat(r.addresses()).containsExactly("10.0.1.5", "10.0.1.6");
    assertThat(r.nxdomain()).isFalse();
  }

  @Test
  void readsTheOlderNumberedFormat() {
    String out =
        "Server:    10.0.1.1\nAddress 1: 10.0.1.1\n\nName:      web\nAddress 1: 10.0.1.2\n";
    assertThat(NsLookup.parse(out, "").addresses()).containsExactly("10.0.1.2");
  }

  @Test
  void seesNxdomain() {
    NsLookup r =
        NsLookup.parse(
            "Server:\t\t10.0.2.1\nAddress:\t10.0.2.1:53\n\n",
            "** server can't find web: NXDOMAIN\n");
    assertThat(r.nxdomain()).isTrue();
    assertThat(r.addresses()).isEmpty();
  }
}
