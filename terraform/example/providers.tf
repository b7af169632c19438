# The AWS provider pointed at Sluice: only the endpoint changes. Everything the provider would otherwise ask AWS
# itself (STS for the credentials and account id, the EC2 metadata service, the list of regions) is skipped, so no
# call leaves for amazonaws.com.
#
# Open auth mode (Sluice's default): any keys work; the default "test" lands in account 000000000000, and an access
# key id of 12 digits selects that account. sigv4 auth mode: a tenant's access key id and secret.
provider "aws" {
  region     = var.region
  access_key = var.access_key
  secret_key = var.secret_key

  skip_credentials_validation = true
  skip_region_validation      = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true

  endpoints {
    sqs = var.sluice_endpoint
  }
}
