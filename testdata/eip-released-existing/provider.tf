# moto on loopback; regen-existing.sh overrides the endpoints when it runs moto elsewhere.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {
    ec2 = "http://127.0.0.1:5055"
    sts = "http://127.0.0.1:5055"
    iam = "http://127.0.0.1:5055"
  }
}
