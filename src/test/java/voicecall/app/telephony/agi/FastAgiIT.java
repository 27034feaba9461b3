package voicecall.app.telephony.agi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.telephony.CallAnswering;
import voicecall.app.telephony.GreetingChime;
import voicecall.app.telephony.TelephonyStack;
import voicecall.app.telephony.ToneGreeting;
import voicecall.app.telephony.Transfers;
import voicecall.app.telephony.client.AudioSocketCaller;
import voicecall.app.telephony.client.Pcm;

/**
 * The FastAGI flow against a fake Asterisk that speaks AGI over a real socket and, when told to run
 * {@code AudioSocket}, opens the media connection the way Asterisk does.
 */
class FastAgiIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Pattern EXEC =
      Pattern.compile("EXEC \"AudioSocket\" \"([0-9a-f-]{36}),([^:]+):(\\d+)\"");

  private volatile CallAnswering answering = new ToneGreeting();
  private final TelephonyStack stack = new TelephonyStack(call -> answering.answer(call));
  private AgiServer agi = agiServer(stack.transfers);

  FastAgiIT() {
    agi.start();
  }

  private AgiServer agiServer(Transfers transfers) {
    return new AgiServer(
        new VoiceCallProperties.FastAgi(
            true,
            "127.0.0.1",
            0,
            "127.0.0.1:" + stack.audioSocketAddress().getPort(),
            Duration.ofSeconds(5)),
        stack.registry,
        transfers);
  }

  @AfterEach
  void stop() {
    agi.stop();
    stack.close();
  }

  /** The fake Asterisk end of one AGI session. */
  private final class FakeAsterisk implements AutoCloseable {
    final Socket socket;
    final BufferedReader in;
    final OutputStream out;

    FakeAsterisk() throws IOException {
      socket = new Socket();
      socket.connect(agi.address(), 5000);
      socket.setSoTimeout(10_000);
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out = socket.getOutputStream();
    }

    void send(String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    void header(String language) throws IOException {
      send(
          "agi_network: yes\nagi_network_script: voicecall\nagi_request: agi://127.0.0.1/voicecall\n"
              + "agi_channel: PJSIP/sipp-00000001\nagi_language: "
              + language
              + "\nagi_uniqueid: 1700000000.1\nagi_callerid: 100\nagi_context: voicecall-inbound\n"
              + "agi_extension: 2000\nagi_priority: 2\n\n");
    }

    String command() throws IOException {
      return Objects.requireNonNull(
          in.readLine(), "AGI server closed instead of sending a command");
    }

    boolean closedByServer() throws IOException {
      return in.readLine() == null;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void answersThenSendsTheMediaToTheAudioSocketServerJoinedByUuid() throws IOException {
    try (FakeAsterisk asterisk = new FakeAsterisk()) {
      asterisk.header("ko");
      assertThat(asterisk.command()).isEqualTo("ANSWER");
      asterisk.send("200 result=0\n");
      String exec = asterisk.command();
      Matcher m = EXEC.matcher(exec);
      assertThat(m.matches()).as(exec).isTrue();
      UUID id = UUID.fromString(m.group(1));
      assertThat(id.version()).isEqualTo(4);
      InetSocketAddress media = new InetSocketAddress(m.group(2), Integer.parseInt(m.group(3)));
      assertThat(media.getPort()).isEqualTo(stack.audioSocketAddress().getPort());

      // Asterisk's AudioSocket application connects with that UUID
      AudioSocketCaller caller =
          Objects.requireNonNull(
              AudioSocketCaller.dial(media, id, Pcm.silence(8000, 20), true, stack.callers)
                  .block(WAIT));
      await().atMost(WAIT).until(() -> caller.audio().size() >= 50);
      GreetingChime.start(caller.audio(), stack.meters);
      assertThat(stack.registry.find(id.toString()))
          .hasValueSatisfying(call -> assertThat(call.language()).isEqualTo("ko"));

      // the caller hangs up: the AudioSocket application returns, Asterisk answers the EXEC
      caller.hangUp().block(WAIT);
      asterisk.send("200 result=0\n");
      assertThat(asterisk.closedByServer()).isTrue();
      await().atMost(WAIT).until(() -> stack.registry.size() == 0);
      await().atMost(WAIT).until(() -> stack.registry.expectedCount() == 0);
    }
  }

  @Test
  void aHangupLineClosesTheSessionAtOnce() throws IOException {
    try (FakeAsterisk asterisk = new FakeAsterisk()) {
      asterisk.header("en");
      assertThat(asterisk.command()).isEqualTo("ANSWER");
      asterisk.send("200 result=0\n");
      assertThat(asterisk.command()).startsWith("EXEC \"AudioSocket\"");
      asterisk.send("HANGUP\n");
      assertThat(asterisk.closedByServer()).isTrue();
      await().atMost(WAIT).until(() -> stack.registry.expectedCount() == 0);
    }
  }

  @Test
  void aFailedCommandEndsTheSession() throws IOException {
    try (FakeAsterisk asterisk = new FakeAsterisk()) {
      asterisk.header("en");
      assertThat(asterisk.command()).isEqualTo("ANSWER");
      asterisk.send("511 Command Not Permitted on a dead channel\n");
      assertThat(asterisk.closedByServer()).isTrue();
    }
  }

  @Test
  void usageRepliesSpanningLinesAreReadAsOneFailure() throws IOException {
    try (FakeAsterisk asterisk = new FakeAsterisk()) {
      asterisk.header("en");
      assertThat(asterisk.command()).isEqualTo("ANSWER");
      asterisk.send(
          "520-Invalid command syntax.  Proper usage follows:\nUsage: ANSWER\n520 End of proper usage.\n");
      assertThat(asterisk.closedByServer()).isTrue();
    }
  }

  @Test
  void somethingThatIsNotAgiIsTurnedAway() throws IOException {
    try (FakeAsterisk notAsterisk = new FakeAsterisk()) {
      notAsterisk.send("GET / HTTP/1.1\nHost: x\n\n");
      assertThat(notAsterisk.closedByServer()).isTrue();
    }
    // and the server still serves real sessions
    try (FakeAsterisk asterisk = new FakeAsterisk()) {
      asterisk.header("en");
      assertThat(asterisk.command()).isEqualTo("ANSWER");
    }
  }

  /** Plays a short reply, then asks for a person with a question that needs cleaning. */
  private void engineTransfers() {
    answering =
        TelephonyStack.asksForAPerson(
            "Where is my \"parcel\"?\nIt's late and I have waited for two weeks", "faq-12");
  }

  /** Answers, runs the media leg until the engine ends it, and answers the EXEC. */
  private UUID mediaLegEndedByTheEngine(FakeAsterisk asterisk) throws IOException {
    asterisk.header("en");
    assertThat(asterisk.command()).isEqualTo("ANSWER");
    asterisk.send("200 result=0\n");
    Matcher m = EXEC.matcher(asterisk.command());
    assertThat(m.matches()).isTrue();
    UUID id = UUID.fromString(m.group(1));
    AudioSocketCaller caller =
        Objects.requireNonNull(
            AudioSocketCaller.dial(
                    stack.audioSocketAddress(), id, Pcm.silence(8000, 20), true, stack.callers)
                .block(WAIT));
    caller.closed().block(WAIT);
    assertThat(caller.hangupReceived()).isTrue();
    // the AudioSocket application returns after the engine's hang-up; Asterisk answers the EXEC
    asterisk.send("200 result=0\n");
    return id;
  }

  @Test
  void aTransferSetsTheAgentVariablesThenTheDialplanLocationInOrder() throws IOException {
    engineTransfers();
    try (FakeAsterisk asterisk = new FakeAsterisk()) {
      UUID id = mediaLegEndedByTheEngine(asterisk);
      List<String> commands = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        commands.add(asterisk.command());
        asterisk.send("200 result=1\n");
      }
      assertThat(commands)
          .containsExactly(
              "SET VARIABLE \"VOICECALL_QUESTION\" \"Where is my parcel? Its late and I have\"",
              "SET VARIABLE \"VOICECALL_ENTRY_ID\" \"faq-12\"",
              "SET VARIABLE \"VOICECALL_CALL_ID\" \"" + id + "\"",
              "SET CONTEXT \"voicecall-agents\"",
              "SET EXTENSION \"agent\"",
              "SET PRIORITY \"1\"");
      assertThat(asterisk.closedByServer()).isTrue();
    }
    assertThat(transfers("done")).isEqualTo(1);
    await().atMost(WAIT).until(() -> stack.registry.expectedCount() == 0);
  }

  @Test
  void aRefusedDestinationSendsNothingAndTheDialplanJustGoesOn() throws IOException {
    agi.stop();
    agi = agiServer(new Transfers(TelephonyStack.transferConfig(false), stack.meters));
    agi.start();
    engineTransfers();
    try (FakeAsterisk asterisk = new FakeAsterisk()) {
      mediaLegEndedByTheEngine(asterisk);
      assertThat(asterisk.closedByServer()).isTrue();
    }
    assertThat(transfers("refused")).isEqualTo(1);
    assertThat(transfers("done")).isZero();
  }

  @Test
  void aFailedVariableCommandCountsAsAFailedTransfer() throws IOException {
    engineTransfers();
    try (FakeAsterisk asterisk = new FakeAsterisk()) {
      mediaLegEndedByTheEngine(asterisk);
      assertThat(asterisk.command()).startsWith("SET VARIABLE \"VOICECALL_QUESTION\"");
      asterisk.send("511 Command Not Permitted on a dead channel\n");
      assertThat(asterisk.closedByServer()).isTrue();
    }
    await().atMost(WAIT).until(() -> transfers("failed") == 1);
    assertThat(transfers("done")).isZero();
  }

  private double transfers(String result) {
    Counter c =
        stack
            .meters
            .find("voicecall.transfers")
            .tags("adapter", "fastagi", "result", result)
            .counter();
    return c == null ? 0 : c.count();
  }
}
