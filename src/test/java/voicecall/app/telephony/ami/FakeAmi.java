package voicecall.app.telephony.ami;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for Asterisk's manager interface on a real socket: the banner, MD5 challenge login,
 * {@code CoreSettings} (the version), {@code Getvar} of global variables, {@code Setvar}, {@code
 * Redirect} and {@code Logoff}. Every other action gets "Permission denied", as a manager user
 * without {@code system} rights would. Actions after login are recorded (header names lower-cased,
 * {@code ActionID} left out).
 */
final class FakeAmi implements AutoCloseable {

  static final String CHALLENGE = "840415273";

  final List<Map<String, String>> actions = new CopyOnWriteArrayList<>();
  final Map<String, String> globals = new ConcurrentHashMap<>();
  final CountDownLatch redirectMayAnswer = new CountDownLatch(1);
  final CountDownLatch redirectReceived = new CountDownLatch(1);
  private final String username;
  private final String secret;
  private final ServerSocket server;
  private final Thread acceptor;

  FakeAmi(String username, String secret) throws IOException {
    this.username = username;
    this.secret = secret;
    server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::accept, "fake-ami");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> serve(s), "fake-ami-session");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket) {
    try (socket;
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
      OutputStream out = socket.getOutputStream();
      write(out, "Asterisk Call Manager/9.0.0\r\n");
      boolean loggedIn = false;
      Map<String, String> packet = new LinkedHashMap<>();
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.isEmpty()) {
          int colon = line.indexOf(':');
          if (colon > 0) {
            packet.put(
                line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                line.substring(colon + 1).strip());
          }
          continue;
        }
        if (packet.isEmpty()) {
          continue;
        }
        Map<String, String> action = packet;
        packet = new LinkedHashMap<>();
        String id = action.getOrDefault("actionid", "");
        String name = action.getOrDefault("action", "").toLowerCase(Locale.ROOT);
        switch (name) {
          case "challenge" -> reply(out, id, "Success", "Challenge: " + CHALLENGE);
          case "login" -> {
            loggedIn =
                username.equals(action.get("username"))
                    && md5(CHALLENGE + secret).equals(action.get("key"));
            if (loggedIn) {
              reply(out, id, "Success", "Message: Authentication accepted");
            } else {
              reply(out, id, "Error", "Message: Authentication failed");
            }
          }
          case "logoff" -> {
            reply(out, id, "Goodbye", "Message: Thanks for all the fish.");
            return;
          }
          default -> {
            if (!loggedIn) {
              reply(out, id, "Error", "Message: Permission denied");
              continue;
            }
            action.remove("actionid");
            switch (name) {
              case "getvar" -> {
                actions.add(action);
                String variable = action.getOrDefault("variable", "");
                reply(
                    out,
                    id,
                    "Success",
                    "Variable: " + variable + "\r\nValue: " + globals.getOrDefault(variable, ""));
              }
              case "setvar" -> {
                actions.add(action);
                reply(out, id, "Success", "Message: Variable Set");
              }
              case "coresettings" ->
                  // asterisk-java asks for the version right after login
                  reply(
                      out,
                      id,
                      "Success",
                      "AMIversion: 9.0.0\r\nAsteriskVersion: 22.0.0\r\nSystemName: \r\n"
                          + "CoreMaxCalls: 0\r\nCoreRunUser: asterisk\r\nCoreRunGroup: asterisk");
              case "redirect" -> {
                actions.add(action);
                redirectReceived.countDown();
                if (!redirectMayAnswer.await(10, TimeUnit.SECONDS)) {
                  return;
                }
                reply(out, id, "Success", "Message: Redirect successful");
              }
              default -> reply(out, id, "Error", "Message: Permission denied");
            }
          }
        }
      }
    } catch (IOException e) {
      // the client went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void reply(OutputStream out, String id, String response, String rest)
      throws IOException {
    write(out, "Response: " + response + "\r\nActionID: " + id + "\r\n" + rest + "\r\n\r\n");
  }

  private static void write(OutputStream out, String text) throws IOException {
    synchronized (out) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

  static String md5(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
