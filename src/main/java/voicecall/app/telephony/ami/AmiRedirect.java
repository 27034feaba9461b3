package voicecall.app.telephony.ami;

import java.io.IOException;
import java.util.Locale;
import org.asteriskjava.manager.AuthenticationFailedException;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.TimeoutException;
import org.asteriskjava.manager.action.GetVarAction;
import org.asteriskjava.manager.action.ManagerAction;
import org.asteriskjava.manager.action.RedirectAction;
import org.asteriskjava.manager.action.SetVarAction;
import org.asteriskjava.manager.response.GetVarResponse;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.telephony.CallerRedirect;
import voicecall.app.telephony.TransferPlan;

/**
 * Moves a plain AudioSocket caller through Asterisk's manager interface with asterisk-java's {@link
 * ManagerConnection}: looks up the caller's channel name in the global variable the dialplan stored
 * under the call's UUID ({@code VC_CHANNEL_<uuid without dashes>}, see {@code voicecall-call-uuid}
 * in {@code extensions.conf}; AudioSocket itself does not carry it), sets the agent's variables on
 * it ({@code Setvar}), then sends it to the destination ({@code Redirect}).
 *
 * <p>The connection is blocking, so every step runs on one dedicated thread (transfers are rare and
 * one connection serves them in turn) and the whole transfer has a deadline. The connection logs in
 * on the first transfer and again after it was lost.
 */
public final class AmiRedirect implements CallerRedirect, AutoCloseable {

  /** Prefix of the global variable holding a call's channel name. */
  public static final String CHANNEL_VARIABLE_PREFIX = "VC_CHANNEL_";

  private static final Logger log = LoggerFactory.getLogger(AmiRedirect.class);

  private final VoiceCallProperties.Ami config;
  private final ManagerConnection connection;
  private final Scheduler thread = Schedulers.newBoundedElastic(1, 64, "ami");

  /**
   * A redirect over AMI, not yet connected.
   *
   * @param config host, port, user, secret and deadline; must be enabled
   */
  public AmiRedirect(VoiceCallProperties.Ami config) {
    if (!config.enabled()) {
      throw new IllegalArgumentException("voicecall.ami.host is not set");
    }
    this.config = config;
    this.connection =
        new ManagerConnectionFactory(
                config.host(), config.port(), config.username(), config.secret())
            .createManagerConnection();
  }

  /**
   * The global variable the dialplan stores a call's channel name in.
   *
   * @param callId the call's UUID
   * @return e.g. {@code VC_CHANNEL_9e107d9d372bb6826bd81d3542a419d6}
   */
  public static String channelVariable(String callId) {
    return CHANNEL_VARIABLE_PREFIX + callId.replace("-", "").toLowerCase(Locale.ROOT);
  }

  @Override
  public Mono<Void> redirect(TransferPlan plan) {
    return Mono.fromRunnable(() -> run(plan)).subscribeOn(thread).timeout(config.timeout()).then();
  }

  /** Runs on the AMI thread only, one transfer at a time. */
  private void run(TransferPlan plan) {
    try {
      if (connection.getState() != ManagerConnectionState.CONNECTED) {
        log.info("logging in to the Asterisk manager at {}:{}", config.host(), config.port());
        connection.login("off");
      }
      String variable = channelVariable(plan.callId());
      ManagerResponse found = send(new GetVarAction(variable));
      String channel =
          found instanceof GetVarResponse g ? g.getValue() : found.getAttribute("value");
      if (channel == null || channel.isBlank()) {
        throw new IllegalStateException(
            "Asterisk knows no channel for call "
                + plan.callId()
                + ": the dialplan must set GLOBAL("
                + variable
                + ") (see voicecall-call-uuid in extensions.conf)");
      }
      for (TransferPlan.Variable v : plan.variables()) {
        send(new SetVarAction(channel, v.name(), v.value()));
      }
      send(new RedirectAction(channel, plan.context(), plan.extension(), plan.priority()));
    } catch (IOException | AuthenticationFailedException | TimeoutException e) {
      throw new IllegalStateException("AMI: " + e.getMessage(), e);
    }
  }

  private ManagerResponse send(ManagerAction action) throws IOException, TimeoutException {
    ManagerResponse r = connection.sendAction(action, config.timeout().toMillis());
    if (r == null || r instanceof ManagerError) {
      throw new IllegalStateException(
          action.getAction()
              + " refused by Asterisk: "
              + (r == null ? "no reply" : r.getMessage()));
    }
    return r;
  }

  /** Logs off (on the AMI thread) and stops the thread. */
  @Override
  public void close() {
    Mono.fromRunnable(
            () -> {
              if (connection.getState() == ManagerConnectionState.CONNECTED) {
                connection.logoff();
              }
            })
        .subscribeOn(thread)
        .timeout(config.timeout())
        .onErrorResume(e -> Mono.empty())
        .doFinally(s -> thread.dispose())
        .subscribe();
  }
}
