/**
 * A caller that speaks AudioSocket the way Asterisk does: used by the integration tests and the
 * load test to place real calls over real sockets and record what comes back.
 */
@NullMarked
package voicecall.app.telephony.client;

import org.jspecify.annotations.NullMarked;
