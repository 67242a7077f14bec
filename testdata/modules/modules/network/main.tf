terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

variable "name" {
  type = string
}

variable "cidr" {
  type = string
}

variable "secondary_cidrs" {
  type    = list(string)
  default = []
}

variable "azs" {
  type = list(string)
}

variable "single_nat_gateway" {
  type    = bool
  default = false
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_hostnames = true
  tags                 = { Name = var.name }
}

resource "aws_vpc_ipv4_cidr_block_association" "this" {
  count      = length(var.secondary_cidrs)
  vpc_id     = aws_vpc.this.id
  cidr_block = var.secondary_cidrs[count.index]
}

locals {
  # Resources depend on the secondary CIDRs being attached first (terraform-aws-modules/vpc idiom).
  vpc_id = try(aws_vpc_ipv4_cidr_block_association.this[0].vpc_id, aws_vpc.this.id)
}

resource "aws_internet_gateway" "this" {
  vpc_id = local.vpc_id
  tags   = { Name = var.name }
}

resource "aws_subnet" "public" {
  count                   = length(var.azs)
  vpc_id                  = local.vpc_id
  availability_zone       = var.azs[count.index]
  cidr_block              = cidrsubnet(var.cidr, 8, count.index)
  map_public_ip_on_launch = true
  tags                    = { Name = "${var.name}-public-${var.azs[count.index]}" }
}

resource "aws_subnet" "private" {
  count             = length(var.azs)
  vpc_id            = local.vpc_id
  availability_zone = var.azs[count.index]
  cidr_block        = cidrsubnet(var.cidr, 4, 1 + count.index)
  tags              = { Name = "${var.name}-private-${var.azs[count.index]}" }
}

module "routing" {
  source = "../routing"

  name                = var.name
  vpc_id              = local.vpc_id
  internet_gateway_id = aws_internet_gateway.this.id
  public_subnet_ids   = aws_subnet.public[*].id
  private_subnet_ids  = aws_subnet.private[*].id
  single_nat_gateway  = var.single_nat_gateway
}

output "vpc_id" {
  value = local.vpc_id
}

output "vpc_cidr_block" {
  value = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  value = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  value = aws_subnet.private[*].id
}
