package voicecall.app;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound allowances for one-time JDK class initialisation, which reads a properties file from
 * the JDK's own folder the first time any thread opens a socket. It happens once per JVM, not per
 * call, so it is allowed where it is, and nowhere else.
 */
public final class JdkClassInitialisationIntegration implements BlockHoundIntegration {

  @Override
  public void applyTo(BlockHound.Builder builder) {
    builder.allowBlockingCallsInside("sun.net.NetProperties", "<clinit>");
  }
}
