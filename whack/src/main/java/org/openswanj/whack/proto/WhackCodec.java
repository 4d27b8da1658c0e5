package org.openswanj.whack.proto;

import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openswanj.whack.proto.WhackRequest.AddConn;
import org.openswanj.whack.proto.WhackRequest.Debug;
import org.openswanj.whack.proto.WhackRequest.DeleteConn;
import org.openswanj.whack.proto.WhackRequest.Initiate;
import org.openswanj.whack.proto.WhackRequest.Route;
import org.openswanj.whack.proto.WhackRequest.Status;
import org.openswanj.whack.proto.WhackRequest.Terminate;
import org.openswanj.whack.proto.WhackRequest.TrafficStatus;
import org.openswanj.whack.proto.WhackRequest.Unroute;

/**
 * Encodes and decodes one request frame (whack/PROTOCOL.md): magic "WHKJ", version, type, body length,
 * body. All integers big-endian. Decoding trusts no length: every bound is checked and every failure
 * is a {@link WhackProtocolException} saying what was wrong.
 */
public final class WhackCodec {
  /** "WHKJ": distinct from Openswan's binary whack magic, so an old whack gets a clear refusal. */
  public static final int MAGIC = 0x57484B4A;
  public static final int VERSION = 1;
  /** A frame body larger than this is refused before it is read. */
  public static final int MAX_BODY = 1 << 20;
  static final int MAX_STRING = 64 * 1024;
  static final int MAX_ITEMS = 4096;

  private WhackCodec() {
  }

  /** Writes {@code request} as one frame. */
  public static void write(DataOutput out, WhackRequest request) throws IOException {
    byte[] body = encodeBody(request);
    if (body.length > MAX_BODY) {
      throw new IOException("whack request too large: " + body.length + " bytes (limit " + MAX_BODY + ")");
    }
    out.writeInt(MAGIC);
    out.writeShort(VERSION);
    out.writeShort(request.type().wireValue());
    out.writeInt(body.length);
    out.write(body);
  }

  /** The frame as bytes (for tests and for clients that write in one call). */
  public static byte[] encode(WhackRequest request) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      write(new DataOutputStream(bytes), request);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads exactly one frame. */
  public static WhackRequest read(DataInput in) throws WhackProtocolException, IOException {
    int magic;
    try {
      magic = in.readInt();
    } catch (EOFException e) {
      throw new WhackProtocolException("truncated request: fewer than 4 bytes (no magic)");
    }
    if (magic != MAGIC) {
      throw new WhackProtocolException(String.format(
          "bad magic 0x%08x (expected 0x%08x): not a whack of this protocol; use this package's ipsec whack",
          magic, MAGIC));
    }
    try {
      int version = in.readUnsignedShort();
      if (version != VERSION) {
        throw new WhackProtocolException("protocol version " + version + " not supported (this pluto speaks "
            + VERSION + "); use the ipsec whack that came with this pluto");
      }
      int typeNumber = in.readUnsignedShort();
      RequestType type = RequestType.fromWire(typeNumber)
          .orElseThrow(() -> new WhackProtocolException("unknown request type " + typeNumber));
      long length = in.readInt() & 0xFFFF_FFFFL;
      if (length > MAX_BODY) {
        throw new WhackProtocolException("request body of " + length + " bytes exceeds the limit of " + MAX_BODY);
      }
      byte[] body = new byte[(int) length];
      in.readFully(body);
      return decodeBody(type, new BodyReader(type, body));
    } catch (EOFException e) {
      throw new WhackProtocolException("truncated request: the frame ends before its header or body does");
    }
  }

  private static byte[] encodeBody(WhackRequest request) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    if (request instanceof AddConn r) {
      writeConn(out, r.name(), r.keywords());
    } else if (request instanceof WhackRequest.ReplaceConn r) {
      writeConn(out, r.name(), r.keywords());
    } else if (request instanceof Initiate r) {
      writeString(out, r.name());
      out.writeBoolean(r.async());
    } else if (request instanceof WhackRequest.OppoInitiate r) {
      writeString(out, r.here());
      writeString(out, r.there());
    } else if (request instanceof DeleteConn r) {
      writeString(out, r.name());
    } else if (request instanceof Terminate r) {
      writeString(out, r.name());
    } else if (request instanceof Route r) {
      writeString(out, r.name());
    } else if (request instanceof Unroute r) {
      writeString(out, r.name());
    } else if (request instanceof WhackRequest.DeleteState r) {
      out.writeLong(r.serial());
    } else if (request instanceof WhackRequest.XauthCredentials r) {
      writeString(out, r.name());
      writeString(out, r.user());
      writeString(out, r.password());
    } else if (request instanceof Status r) {
      out.writeBoolean(r.json());
    } else if (request instanceof TrafficStatus r) {
      out.writeBoolean(r.json());
    } else if (request instanceof WhackRequest.ListCerts r) {
      out.writeBoolean(r.utc());
    } else if (request instanceof WhackRequest.ListCaCerts r) {
      out.writeBoolean(r.utc());
    } else if (request instanceof WhackRequest.ListCrls r) {
      out.writeBoolean(r.utc());
    } else if (request instanceof Debug r) {
      out.writeBoolean(r.name() != null);
      if (r.name() != null) {
        writeString(out, r.name());
      }
      writeCount(out, r.options().size());
      for (String option : r.options()) {
        writeString(out, option);
      }
    }
    // the other requests have an empty body
    out.flush();
    return bytes.toByteArray();
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    if (utf8.length > MAX_STRING) {
      throw new IOException("whack: a string of " + utf8.length + " bytes exceeds the limit of " + MAX_STRING);
    }
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static void writeCount(DataOutputStream out, int count) throws IOException {
    if (count > MAX_ITEMS) {
      throw new IOException("whack: " + count + " items exceed the limit of " + MAX_ITEMS);
    }
    out.writeShort(count);
  }

  private static WhackRequest decodeBody(RequestType type, BodyReader in) throws WhackProtocolException {
    WhackRequest request = switch (type) {
      case ADD_CONN -> decodeAddConn(in);
      case DELETE_CONN -> new DeleteConn(in.name());
      case INITIATE -> new Initiate(in.name(), in.bool("async flag"));
      case OPPO_INITIATE -> new WhackRequest.OppoInitiate(in.string("--oppohere address"),
          in.string("--oppothere address"));
      case TERMINATE -> new Terminate(in.name());
      case ROUTE -> new Route(in.name());
      case UNROUTE -> new Unroute(in.name());
      case STATUS -> new Status(in.bool("json flag"));
      case TRAFFIC_STATUS -> new TrafficStatus(in.bool("json flag"));
      case LOOK -> new WhackRequest.Look();
      case SHUNT_STATUS -> new WhackRequest.ShuntStatus();
      case METRICS -> new WhackRequest.Metrics();
      case REPLACE_CONN -> {
        AddConn a = decodeAddConn(in);
        yield new WhackRequest.ReplaceConn(a.name(), a.keywords());
      }
      case CONN_NAMES -> new WhackRequest.ConnNames();
      case LIST_EVENTS -> new WhackRequest.ListEvents();
      case DELETE_STATE -> new WhackRequest.DeleteState(in.longValue("state number"));
      case XAUTH_CREDENTIALS -> new WhackRequest.XauthCredentials(in.name(), in.string("XAUTH user name"),
          in.string("XAUTH password"));
      case LISTEN -> new WhackRequest.Listen();
      case UNLISTEN -> new WhackRequest.Unlisten();
      case SHUTDOWN -> new WhackRequest.Shutdown();
      case REREAD_SECRETS -> new WhackRequest.RereadSecrets();
      case REREAD_ALL -> new WhackRequest.RereadAll();
      case REREAD_CACERTS -> new WhackRequest.RereadCaCerts();
      case REREAD_CRLS -> new WhackRequest.RereadCrls();
      case LIST_PUBKEYS -> new WhackRequest.ListPubkeys();
      case LIST_ALL -> new WhackRequest.ListAll();
      case LIST_CERTS -> new WhackRequest.ListCerts(in.bool("utc flag"));
      case LIST_CACERTS -> new WhackRequest.ListCaCerts(in.bool("utc flag"));
      case LIST_CRLS -> new WhackRequest.ListCrls(in.bool("utc flag"));
      case DEBUG -> decodeDebug(in);
    };
    in.expectEnd();
    return request;
  }

  private static void writeConn(DataOutputStream out, String name, Map<String, String> keywords) throws IOException {
    writeString(out, name);
    writeCount(out, keywords.size());
    for (Map.Entry<String, String> e : keywords.entrySet()) {
      writeString(out, e.getKey());
      writeString(out, e.getValue());
    }
  }

  private static AddConn decodeAddConn(BodyReader in) throws WhackProtocolException {
    String name = in.name();
    int count = in.count("keywords");
    Map<String, String> keywords = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String key = in.string("keyword #" + (i + 1));
      if (key.isEmpty()) {
        throw new WhackProtocolException("ADD_CONN \"" + name + "\": keyword #" + (i + 1) + " is empty");
      }
      String value = in.string("value of " + key);
      if (keywords.put(key, value) != null) {
        throw new WhackProtocolException("ADD_CONN \"" + name + "\": keyword " + key + " appears twice");
      }
    }
    return new AddConn(name, keywords);
  }

  private static Debug decodeDebug(BodyReader in) throws WhackProtocolException {
    String name = in.bool("connection flag") ? in.name() : null;
    int count = in.count("debug options");
    String[] options = new String[count];
    for (int i = 0; i < count; i++) {
      options[i] = in.string("debug option #" + (i + 1));
    }
    return new Debug(name, List.of(options));
  }
}
