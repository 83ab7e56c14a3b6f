package io.corral.testcluster.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The few bytes of the DNS wire format (RFC 1035) the benchmark's probe needs: an A query with
 * recursion desired, and the A records and response code of an answer. Small on purpose, so that a
 * measured lookup costs the resolver's time and a UDP round trip, not a client library's.
 */
final class DnsWire {

  static final int NOERROR = 0;
  static final int NXDOMAIN = 3;

  /** The response code and the IPv4 addresses of the A records of an answer. */
  record Answer(int id, int rcode, List<String> addresses) {}

  private DnsWire() {}

  static byte[] queryA(int id, String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(id >> 8);
    out.write(id);
    out.write(0x01); // RD
    out.write(0x00);
    out.writeBytes(new byte[] {0, 1, 0, 0, 0, 0, 0, 0}); // one question
    for (String label : name.split("\\.")) {
      if (label.isEmpty()) {
        continue;
      }
      byte[] b = label.getBytes(StandardCharsets.US_ASCII);
      if (b.length > 63) {
        throw new IllegalArgumentException("DNS label longer than 63 bytes in " + name);
      }
      out.write(b.length);
      out.writeBytes(b);
    }
    out.write(0);
    out.writeBytes(new byte[] {0, 1, 0, 1}); // type A, class IN
    return out.toByteArray();
  }

  static Answer parse(byte[] message, int length) {
    ByteBuffer b = ByteBuffer.wrap(message, 0, length);
    int id = b.getShort() & 0xffff;
    int flags = b.getShort() & 0xffff;
    int questions = b.getShort() & 0xffff;
    int answers = b.getShort() & 0xffff;
    b.getShort();
    b.getShort();
    for (int i = 0; i < questions; i++) {
      skipName(b);
      b.getInt(); // type, class
    }
    List<String> found = new ArrayList<>();
    for (int i = 0; i < answers; i++) {
      skipName(b);
      int type = b.getShort() & 0xffff;
      b.getShort(); // class
      b.getInt(); // ttl
      int len = b.getShort() & 0xffff;
      if (type == 1 && len == 4) {
        found.add(
            (b.get() & 0xff)
                + "."
                + (b.get() & 0xff)
                + "."
                + (b.get() & 0xff)
                + "."
                + (b.get() & 0xff));
      } else {
        b.position(b.position() + len);
      }
    }
    return new Answer(id, flags & 0xf, List.copyOf(found));
  }

  private static void skipName(ByteBuffer b) {
    while (true) {
      int len = b.get() & 0xff;
      if (len == 0) {
        return;
      }
      if ((len & 0xc0) == 0xc0) {
        b.get(); // a pointer ends the name
        return;
      }
      b.position(b.position() + len);
    }
  }
}
