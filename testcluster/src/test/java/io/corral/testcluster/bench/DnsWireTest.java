package io.corral.testcluster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class DnsWireTest {

  @Test
  void aQueryAsksForOneARecordWithRecursion() {
    byte[] q = DnsWire.queryA(0x1234, "tasks.web");
    assertThat(q)
        .containsExactly(
            0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 5, 't', 'a', 's', 'k', 's', 3, 'w', 'e',
            'b', 0, 0, 1, 0, 1);
  }

  @Test
  void readsTheARecordsOfAnAnswerWithCompressedNames() {
    byte[] q = DnsWire.queryA(7, "web");
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    a.writeBytes(q);
    byte[] msg = a.toByteArray();
    msg[2] = (byte) 0x81;
    msg[3] = (byte) 0x80; // response, RA, NOERROR
    msg[7] = 2; // two answers
    a.reset();
    a.writeBytes(msg);
    for (int last : new int[] {5, 6}) {
      a.writeBytes(
          new byte[] {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 10, 0, 1, (byte) last});
    }
    byte[] answer = a.toByteArray();
    DnsWire.Answer r = DnsWire.parse(answer, answer.length);
    assertThat(r.id()).isEqualTo(7);
    assertThat(r.rcode()).isEqualTo(DnsWire.NOERROR);
    assertThat(r.addresses()).containsExactly("10.0.1.5", "10.0.1.6");
  }

  @Test
  void seesNxdomain() {
    byte[] msg = DnsWire.queryA(9, "nope");
    msg[2] = (byte) 0x81;
    msg[3] = (byte) 0x83;
    DnsWire.Answer r = DnsWire.parse(msg, msg.length);
    assertThat(r.rcode()).isEqualTo(DnsWire.NXDOMAIN);
    assertThat(r.addresses()).isEmpty();
  }
}
