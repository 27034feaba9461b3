package voicecall.app.telephony.wiring;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.telephony.CallAnswering;
import voicecall.app.telephony.CallRegistry;
import voicecall.app.telephony.Switchboard;
import voicecall.app.telephony.TelephonyMetrics;
import voicecall.app.telephony.ToneGreeting;
import voicecall.app.telephony.Transfers;
import voicecall.app.telephony.agi.AgiServer;
import voicecall.app.telephony.ami.AmiRedirect;
import voicecall.app.telephony.ari.AriClient;
import voicecall.app.telephony.audiosocket.AudioSocketServer;
import voicecall.engine.call.FrameClock;

/** Wires the telephony adapters: one frame clock on its own thread, the registry, the servers. */
@Configuration(proxyBeanMethods = false)
public class TelephonyConfiguration {

  /** Returns the live calls. */
  @Bean
  public CallRegistry callRegistry() {
    return new CallRegistry();
  }

  /**
   * The telephony meters.
   *
   * @param meters the meter registry
   * @param registry the live calls
   * @return the telephony meters
   */
  @Bean
  public TelephonyMetrics telephonyMetrics(MeterRegistry meters, CallRegistry registry) {
    return new TelephonyMetrics(meters, registry);
  }

  /**
   * The frame clock's own thread, wrapped so it is not a bare {@code Scheduler} bean that other
   * code could be handed by type.
   *
   * @return the thread, disposed with the context
   */
  @Bean
  FrameClockThread frameClockThread() {
    return new FrameClockThread(Schedulers.newSingle("frame-clock", true));
  }

  /**
   * The one clock pacing every call.
   *
   * @param thread the clock's thread
   * @param metrics where jitter and frame counts go
   * @return the clock
   */
  @Bean(destroyMethod = "dispose")
  public FrameClock frameClock(FrameClockThread thread, TelephonyMetrics metrics) {
    return FrameClock.start(thread.scheduler(), metrics);
  }

  /** Returns what a call does until speech exists: a greeting chime and DTMF echo. */
  @Bean
  @ConditionalOnMissingBean
  public CallAnswering callAnswering() {
    return new ToneGreeting();
  }

  /**
   * Where callers who ask for a person may go ({@code voicecall.transfer.*}).
   *
   * @param properties the configuration
   * @param meters where {@code voicecall.transfers} is counted
   * @param ami the AMI redirect for plain AudioSocket calls, when {@code voicecall.ami.host} is set
   * @return the transfer policy every adapter uses
   */
  @Bean
  public Transfers transfers(
      VoiceCallProperties properties, MeterRegistry meters, ObjectProvider<AmiRedirect> ami) {
    return new Transfers(properties.transfer(), meters, ami.getIfAvailable());
  }

  /**
   * Moves plain AudioSocket callers through Asterisk's manager interface.
   *
   * @param properties the configuration
   * @return the redirect, on when {@code voicecall.ami.host} is set
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnExpression("'${voicecall.ami.host:}' != ''")
  public AmiRedirect amiRedirect(VoiceCallProperties properties) {
    return new AmiRedirect(properties.ami());
  }

  /**
   * The switchboard every adapter connects calls through.
   *
   * @param clock the frame clock
   * @param registry the live calls
   * @param answering what a call does
   * @param transfers told about transfers of plain AudioSocket calls
   * @return the switchboard every adapter connects calls through
   */
  @Bean
  public Switchboard switchboard(
      FrameClock clock, CallRegistry registry, CallAnswering answering, Transfers transfers) {
    return new Switchboard(clock, registry, answering, transfers);
  }

  /**
   * The AudioSocket server, started with the application.
   *
   * @param properties the configuration
   * @param switchboard where calls go
   * @param metrics the telephony meters
   * @return the AudioSocket server, started with the application
   */
  @Bean
  @ConditionalOnProperty(
      name = "voicecall.audiosocket.enabled",
      havingValue = "true",
      matchIfMissing = true)
  public AudioSocketServer audioSocketServer(
      VoiceCallProperties properties, Switchboard switchboard, TelephonyMetrics metrics) {
    return new AudioSocketServer(properties.audiosocket(), switchboard, metrics);
  }

  /**
   * The FastAGI server, started with the application.
   *
   * @param properties the configuration
   * @param registry where AGI sessions announce their calls
   * @param transfers where callers who ask for a person may go
   * @return the server
   */
  @Bean
  @ConditionalOnProperty(
      name = "voicecall.fastagi.enabled",
      havingValue = "true",
      matchIfMissing = true)
  public AgiServer agiServer(
      VoiceCallProperties properties, CallRegistry registry, Transfers transfers) {
    return new AgiServer(properties.fastagi(), registry, transfers);
  }

  /**
   * The ARI client, on when {@code voicecall.ari.url} is set.
   *
   * @param properties the configuration
   * @param registry where ARI calls are announced
   * @param transfers where callers who ask for a person may go
   * @param json the JSON mapper
   * @return the client, connected with the application
   */
  @Bean
  @ConditionalOnProperty(name = "voicecall.ari.url")
  public AriClient ariClient(
      VoiceCallProperties properties, CallRegistry registry, Transfers transfers, JsonMapper json) {
    return new AriClient(properties.ari(), registry, transfers, json, HttpClient.create());
  }

  /**
   * The frame clock's thread.
   *
   * @param scheduler a single-thread scheduler only the clock uses
   */
  record FrameClockThread(Scheduler scheduler) implements DisposableBean {
    @Override
    public void destroy() {
      scheduler.dispose();
    }
  }
}
