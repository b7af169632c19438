variable "sluice_endpoint" {
  description = "Sluice's URL."
  type        = string
  default     = "http://localhost:9324"
}

variable "region" {
  description = "The provider's region: Sluice's default region (sluice.region), whose queue URLs (/{account}/{queue}) are the only ones the AWS provider accepts."
  type        = string
  default     = "us-east-1"
}

variable "access_key" {
  description = "Open mode: anything. sigv4 mode: a tenant's access key id."
  type        = string
  default     = "test"
}

variable "secret_key" {
  description = "Open mode: anything. sigv4 mode: the key's secret."
  type        = string
  default     = "test"
  sensitive   = true
}

variable "env" {
  description = "Prefix of every queue name."
  type        = string
  default     = "dev"
}

variable "orders_visibility_timeout_seconds" {
  type    = number
  default = 60
}

variable "team" {
  description = "Value of the team tag on every queue."
  type        = string
  default     = "shop"
}
