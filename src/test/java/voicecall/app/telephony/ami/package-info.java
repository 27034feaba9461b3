/** Tests of the AMI redirect against a fake manager interface on a real socket. */
@NullMarked
package voicecall.app.telephony.ami;

import org.jspecify.annotations.NullMarked;
