package dev.sluice.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The open auth mode's reading of a request's credential: the account (12-digit key ids) and the region. */
class OpenModeAccountsTest {
    private final OpenModeAccounts accounts = new OpenModeAccounts("000000000000");

    private static String header(String credential) {
        return "AWS4-HMAC-SHA256 Credential=" + credential + ", SignedHeaders=host;x-amz-date, Signature=abc";
    }

    @Test
    void theHeadersCredentialScopeNamesAccountAndRegion() {
        assertThat(accounts.credentialOf(header("111111111111/20261205/eu-west-1/sqs/aws4_request"), null))
                .isEqualTo(new OpenModeAccounts.Credential("111111111111", "eu-west-1"));
        assertThat(accounts.credentialOf(header("test/20261205/us-gov-west-1/sqs/aws4_request"), null))
                .isEqualTo(new OpenModeAccounts.Credential("000000000000", "us-gov-west-1"));
    }

    @Test
    void aPresignedUrlsCredentialToo() {
        assertThat(accounts.credentialOf(
                        null,
                        "Action=ListQueues&X-Amz-Credential=222222222222%2F20261205%2Fap-south-2%2Fsqs%2Faws4_request"
                                + "&X-Amz-Date=20261205T000000Z"))
                .isEqualTo(new OpenModeAccounts.Credential("222222222222", "ap-south-2"));
    }

    @Test
    void noRegionWhenNoneOrNotARegionName() {
        assertThat(accounts.credentialOf(null, null)).isEqualTo(new OpenModeAccounts.Credential("000000000000", null));
        assertThat(accounts.credentialOf(header("test/"), null))
                .isEqualTo(new OpenModeAccounts.Credential("000000000000", null));
        assertThat(accounts.credentialOf(header("test/20261205/elasticmq/sqs/aws4_request"), null)
                        .region())
                .isNull();
        assertThat(accounts.credentialOf(header("test/20261205/EU-WEST-1/sqs/aws4_request"), null)
                        .region())
                .isNull();
        assertThat(accounts.credentialOf(header("test/20261205/eu-west-1<x>/sqs/aws4_request"), null)
                        .region())
                .isNull();
    }

    @Test
    void theFirstCredentialThatHasAKeyAndASlashCountsAsAFindWouldHaveIt() {
        assertThat(accounts.credentialOf(
                        "AWS4-HMAC-SHA256 Credential=, Credential=nokey, Credential=333333333333/d/sa-east-1/sqs/x",
                        null))
                .isEqualTo(new OpenModeAccounts.Credential("333333333333", "sa-east-1"));
        assertThat(accounts.credentialOf(
                        "Bearer Credential=", "X-Amz-Credential=444444444444%2F20261205%2Fus-east-2%2Fsqs"))
                .isEqualTo(new OpenModeAccounts.Credential("444444444444", "us-east-2"));
        assertThat(accounts.credentialOf(header("12345678901x/20261205/eu-west-1/sqs/aws4_request"), null))
                .isEqualTo(new OpenModeAccounts.Credential("000000000000", "eu-west-1"));
    }
}
