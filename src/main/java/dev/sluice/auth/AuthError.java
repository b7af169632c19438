package dev.sluice.auth;

/**
 * Why a request was refused before it reached an action, in AWS's words (Common Errors of the SQS API reference and the
 * SigV4 documentation). {@code api.AwsErrors} maps each to its code and HTTP status.
 */
public enum AuthError {
    /** Neither an Authorization header nor presigned query parameters. */
    MISSING_AUTHENTICATION_TOKEN,
    /** An Authorization header or presigned query lacking a part the signature needs. */
    INCOMPLETE_SIGNATURE,
    /** The access key id is unknown or disabled, or a session token was sent where none is accepted. */
    INVALID_CLIENT_TOKEN_ID,
    /** The signature, its scope or its date (more than 15 minutes off) does not match. */
    SIGNATURE_DOES_NOT_MATCH,
    /** A presigned request past its X-Amz-Expires, or an action on a queue the caller may not use. */
    ACCESS_DENIED
}
