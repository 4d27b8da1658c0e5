package org.openswanj.whack.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WhackCodecTest {

  static Stream<WhackRequest> everyRequestType() {
    Map<String, String> kw = new LinkedHashMap<>();
    kw.put("left", "192.0.2.1");
    kw.put("leftsubnet", "10.1.0.0/24");
    kw.put("right", "192.0.2.2");
    kw.put("leftid", "@wést");
    kw.put("authby", "secret");
    return Stream.of(
        new WhackRequest.AddConn("west-east", kw),
        new WhackRequest.DeleteConn("west-east"),
        new WhackRequest.Initiate("west-east", true),
        new WhackRequest.Initiate("west-east", false),
        new WhackRequest.OppoInitiate("192.1.2.45", "2001:db8:1:2::23"),
        new WhackRequest.Terminate("west-east"),
        new WhackRequest.Route("west-east"),
        new WhackRequest.Unroute("west-east"),
        new WhackRequest.Status(true),
        new WhackRequest.Status(false),
        new WhackRequest.TrafficStatus(true),
        new WhackRequest.Look(),
        new WhackRequest.ShuntStatus(),
        new WhackRequest.ReplaceConn("west-east", kw),
        new WhackRequest.ConnNames(),
        new WhackRequest.ListEvents(),
        new WhackRequest.Metrics(),
        new WhackRequest.DeleteState(12),
        new WhackRequest.XauthCredentials("west-east", "alice", "pässword with spaces"),
        new WhackRequest.Listen(),
        new WhackRequest.Unlisten(),
        new WhackRequest.Shutdown(),
        new WhackRequest.RereadSecrets(),
        new WhackRequest.RereadAll(),
        new WhackRequest.RereadCaCerts(),
        new WhackRequest.RereadCrls(),
        new WhackRequest.ListPubkeys(),
        new WhackRequest.ListAll(),
        new WhackRequest.ListCerts(false),
        new WhackRequest.ListCaCerts(true),
        new WhackRequest.ListCrls(false),
        new WhackRequest.Debug(null, List.of("all")),
        new WhackRequest.Debug("west-east", List.of("none", "control")));
  }

  @ParameterizedTest
  @MethodSource("everyRequestType")
  void roundTripsEveryRequestType(WhackRequest request) throws Exception {
    byte[] frame = WhackCodec.encode(request);
    WhackRequest back = read(frame);
    assertEquals(request, back);
    assertEquals(request.type(), back.type());
    assertArrayEquals(frame, WhackCodec.encode(back), "re-encoding gives the same bytes");
  }

  @Test
  void everyTypeIsCovered() {
    assertEquals(RequestType.values().length,
        everyRequestType().map(WhackRequest::type).distinct().count());
  }

  @Test
  void initiateHasTheDocumentedLayout() {
    byte[] frame = WhackCodec.encode(new WhackRequest.Initiate("ab", true));
    byte[] expected = {
        'W', 'H', 'K', 'J', 0, 1, 0, 3, // magic, version 1, type INITIATE
        0, 0, 0, 7, // body length
        0, 0, 0, 2, 'a', 'b', 1}; // name, async
    assertArrayEquals(expected, frame);
  }

  @Test
  void addConnKeepsKeywordOrder() throws Exception {
    Map<String, String> kw = new LinkedHashMap<>();
    kw.put("right", "b");
    kw.put("left", "a");
    WhackRequest.AddConn back = (WhackRequest.AddConn) read(WhackCodec.encode(new WhackRequest.AddConn("c", kw)));
    assertEquals(List.of("right", "left"), List.copyOf(back.keywords().keySet()));
  }

  @Test
  void wrongMagicIsRefusedClearly() {
    byte[] frame = WhackCodec.encode(new WhackRequest.Listen());
    frame[0] = 0x08; // Openswan's binary whack starts with its own magic
    WhackProtocolException e = assertThrows(WhackProtocolException.class, () -> read(frame));
    assertTrue(e.getMessage().startsWith("bad magic 0x08484b4a "), e.getMessage());
    assertTrue(e.getMessage().contains("expected 0x57484b4a"), e.getMessage());
  }

  @Test
  void wrongVersionIsRefusedClearly() {
    byte[] frame = WhackCodec.encode(new WhackRequest.Listen());
    frame[5] = 2;
    WhackProtocolException e = assertThrows(WhackProtocolException.class, () -> read(frame));
    assertEquals("protocol version 2 not supported (this pluto speaks 1); use the ipsec whack that came with"
        + " this pluto", e.getMessage());
  }

  @Test
  void unknownTypeIsRefused() {
    byte[] frame = WhackCodec.encode(new WhackRequest.Listen());
    frame[7] = 99;
    assertEquals("unknown request type 99",
        assertThrows(WhackProtocolException.class, () -> read(frame)).getMessage());
  }

  @Test
  void hugeBodyLengthIsRefusedBeforeReading() {
    byte[] frame = WhackCodec.encode(new WhackRequest.Listen());
    frame[8] = (byte) 0xFF; // body length 0xFF000000
    String msg = assertThrows(WhackProtocolException.class, () -> read(frame)).getMessage();
    assertEquals("request body of 4278190080 bytes exceeds the limit of 1048576", msg);
  }

  @Test
  void everyTruncationIsATypedError() {
    byte[] frame = WhackCodec.encode(new WhackRequest.AddConn("west-east", Map.of("left", "192.0.2.1")));
    for (int cut = 0; cut < frame.length; cut++) {
      byte[] part = Arrays.copyOf(frame, cut);
      WhackProtocolException e = assertThrows(WhackProtocolException.class, () -> read(part), "cut " + cut);
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
  }

  @Test
  void stringLengthPastTheBodyNamesTheField() {
    byte[] frame = WhackCodec.encode(new WhackRequest.Route("ab"));
    frame[15] = 9; // name length 9, body has 2 bytes left
    String msg = assertThrows(WhackProtocolException.class, () -> read(frame)).getMessage();
    assertEquals("ROUTE request: truncated at connection name (offset 4: needs 9 bytes, 2 left)", msg);
  }

  @Test
  void trailingBytesInTheBodyAreRefused() {
    byte[] frame = WhackCodec.encode(new WhackRequest.Status(false));
    byte[] longer = Arrays.copyOf(frame, frame.length + 1);
    longer[11] = 2; // body length 2, one extra byte
    String msg = assertThrows(WhackProtocolException.class, () -> read(longer)).getMessage();
    assertEquals("STATUS request: 1 unexpected bytes after the last field", msg);
  }

  @Test
  void badBooleanInvalidUtf8AndEmptyNameAreRefused() {
    byte[] bool = WhackCodec.encode(new WhackRequest.Initiate("ab", false));
    bool[18] = 7;
    assertEquals("INITIATE request: async flag is 7, not 0 or 1",
        assertThrows(WhackProtocolException.class, () -> read(bool)).getMessage());
    byte[] utf = WhackCodec.encode(new WhackRequest.Terminate("ab"));
    utf[16] = (byte) 0xC3; // a lead byte followed by 'b'
    assertEquals("TERMINATE request: connection name is not valid UTF-8",
        assertThrows(WhackProtocolException.class, () -> read(utf)).getMessage());
    byte[] empty = WhackCodec.encode(new WhackRequest.DeleteConn(""));
    assertEquals("DELETE_CONN request: empty connection name",
        assertThrows(WhackProtocolException.class, () -> read(empty)).getMessage());
  }

  @Test
  void duplicateKeywordIsRefused() {
    byte[] frame = WhackCodec.encode(new WhackRequest.AddConn("c", Map.of("left", "a")));
    // body: name(4+1) count(2) key(4+4) value(4+1) -> append the same pair again, bump the count
    byte[] pair = Arrays.copyOfRange(frame, 12 + 7, frame.length);
    byte[] twice = Arrays.copyOf(frame, frame.length + pair.length);
    System.arraycopy(pair, 0, twice, frame.length, pair.length);
    twice[11] = (byte) (twice[11] + pair.length);
    twice[18] = 2;
    assertEquals("ADD_CONN \"c\": keyword left appears twice",
        assertThrows(WhackProtocolException.class, () -> read(twice)).getMessage());
  }

  @Test
  void replyLinesFormatAndParse() {
    assertEquals("021 no connection named \"x\"", new ReplyLine(21, "no connection named \"x\"").format());
    assertEquals("004 a b", new ReplyLine(4, "a\nb").format());
    assertEquals(new ReplyLine(117, "\"c\" #1: STATE_MAIN_I1: initiate"),
        ReplyLine.parse("117 \"c\" #1: STATE_MAIN_I1: initiate").orElseThrow());
    assertTrue(ReplyLine.parse("whack: hello").isEmpty());
    assertEquals(new ReplyLine(0, ""), ReplyLine.parse("000").orElseThrow());
  }

  @Test
  void rcCodesAreOpenswans() {
    assertEquals(21, Rc.UNKNOWN_NAME.code());
    assertEquals(20, Rc.DUPNAME.code());
    assertEquals(24, Rc.DEAF.code());
    assertEquals(Rc.NEW_STATE, Rc.fromCode(117).orElseThrow());
    assertEquals(Rc.SUCCESS, Rc.fromCode(4).orElseThrow());
    assertTrue(Rc.fromCode(99).isEmpty());
    assertTrue(!Rc.significant(0) && !Rc.significant(2) && Rc.significant(3) && Rc.significant(21));
  }

  private static WhackRequest read(byte[] frame) throws Exception {
    return WhackCodec.read(new DataInputStream(new ByteArrayInputStream(frame)));
  }
}
