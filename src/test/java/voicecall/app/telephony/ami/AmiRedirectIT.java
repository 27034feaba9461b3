package voicecall.app.telephony.ami;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.telephony.CallAnswering;
import voicecall.app.telephony.CallerRedirect;
import voicecall.app.telephony.TelephonyStack;
import voicecall.app.telephony.client.AudioSocketCaller;
import voicecall.app.telephony.client.Pcm;

/**
 * A plain AudioSocket call (no FastAGI or ARI session) whose engine asks for a person: the caller
 * is moved over AMI against a fake manager interface on a real socket, while the AudioSocket
 * connection still holds the channel.
 */
class AmiRedirectIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CHANNEL = "PJSIP/sipp-00000042";

  private static final CallAnswering ASKS_FOR_A_PERSON =
      TelephonyStack.asksForAPerson("I want to talk to someone", "faq-4");

  private final FakeAmi ami;
  private @Nullable AmiRedirect redirect;
  private @Nullable TelephonyStack stack;

  AmiRedirectIT() throws IOException {
    ami = new FakeAmi("voicecall", "s3cret");
  }

  @AfterEach
  void stop() {
    ami.redirectMayAnswer.countDown();
    if (stack != null) {
      stack.close();
    }
    if (redirect != null) {
      redirect.close();
    }
    ami.close();
  }

  private TelephonyStack start(@Nullable CallerRedirect plainCalls) {
    TelephonyStack s = new TelephonyStack(ASKS_FOR_A_PERSON, plainCalls);
    stack = s;
    return s;
  }

  private AmiRedirect amiRedirect(String secret) {
    AmiRedirect r =
        new AmiRedirect(
            new VoiceCallProperties.Ami(
                "127.0.0.1", ami.port(), "voicecall", secret, Duration.ofSeconds(5)));
    redirect = r;
    return r;
  }

  private static AudioSocketCaller dial(TelephonyStack s, UUID id) {
    return Objects.requireNonNull(
        AudioSocketCaller.dial(s.audioSocketAddress(), id, Pcm.silence(8000, 20), true, s.callers)
            .block(WAIT));
  }

  @Test
  void theCallerIsRedirectedWithTheAgentVariablesBeforeTheMediaConnectionCloses()
      throws InterruptedException {
    TelephonyStack s = start(amiRedirect("s3cret"));
    UUID id = UUID.randomUUID();
    ami.globals.put(AmiRedirect.channelVariable(id.toString()), CHANNEL);

    AudioSocketCaller caller = dial(s, id);
    assertThat(ami.redirectReceived.await(10, TimeUnit.SECONDS)).isTrue();
    // Asterisk has not accepted the redirect yet: the engine still holds the connection open
    assertThat(caller.hangupReceived()).isFalse();
    assertThat(s.registry.find(id.toString())).isEmpty(); // the call itself has ended
    ami.redirectMayAnswer.countDown();
    caller.closed().block(WAIT);
    assertThat(caller.hangupReceived()).isTrue();

    String hash = id.toString().replace("-", "");
    assertThat(ami.actions)
        .containsExactly(
            Map.of("action", "GetVar", "variable", "VC_CHANNEL_" + hash),
            setvar("VOICECALL_QUESTION", "I want to talk to someone"),
            setvar("VOICECALL_ENTRY_ID", "faq-4"),
            setvar("VOICECALL_CALL_ID", id.toString()),
            Map.of(
                "action",
                "Redirect",
                "channel",
                CHANNEL,
                "context",
                "voicecall-agents",
                "exten",
                "agent",
                "priority",
                "1"));
    await().atMost(WAIT).until(() -> transfers(s, "ami", "done") == 1);
  }

  @Test
  void withoutTheDialplanMappingNothingIsRedirectedAndTheCallJustEnds() {
    ami.redirectMayAnswer.countDown();
    TelephonyStack s = start(amiRedirect("s3cret"));
    AudioSocketCaller caller = dial(s, UUID.randomUUID());
    caller.closed().block(WAIT);
    assertThat(caller.hangupReceived()).isTrue();
    await().atMost(WAIT).until(() -> transfers(s, "ami", "failed") == 1);
    assertThat(ami.actions).extracting(a -> a.get("action")).containsExactly("GetVar");
  }

  @Test
  void aRejectedLoginCountsAsAFailedTransferAndTheCallStillEnds() {
    TelephonyStack s = start(amiRedirect("wrong"));
    UUID id = UUID.randomUUID();
    ami.globals.put(AmiRedirect.channelVariable(id.toString()), CHANNEL);
    AudioSocketCaller caller = dial(s, id);
    caller.closed().block(WAIT);
    assertThat(caller.hangupReceived()).isTrue();
    await().atMost(WAIT).until(() -> transfers(s, "ami", "failed") == 1);
    assertThat(ami.actions).isEmpty();
  }

  @Test
  void withoutAmiAPlainCallsTransferIsCountedAsFailedAndTheCallEnds() {
    TelephonyStack s = start((CallerRedirect) null);
    AudioSocketCaller caller = dial(s, UUID.randomUUID());
    caller.closed().block(WAIT);
    assertThat(caller.hangupReceived()).isTrue();
    await().atMost(WAIT).until(() -> transfers(s, "audiosocket", "failed") == 1);
  }

  private static Map<String, String> setvar(String name, String value) {
    return Map.of("action", "SetVar", "channel", CHANNEL, "variable", name, "value", value);
  }

  private static double transfers(TelephonyStack s, String adapter, String result) {
    Counter c =
        s.meters.find("voicecall.transfers").tags("adapter", adapter, "result", result).counter();
    return c == null ? 0 : c.count();
  }
}
