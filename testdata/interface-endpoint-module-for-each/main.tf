# Interface endpoints (SSM, private DNS on) named through module outputs that terraform's
# plan JSON lists without their names (`module.x[each.key].out` is written as `module.x`
# and `each.key`).
#
# a: the endpoint's subnets are `[module.net[each.key].app_subnet_id]`; the module has two
# outputs naming subnets, so where its network interfaces are is not known.
# b: the endpoint's VPC is `module.vpcs[each.key].vpc_id`; the module has two outputs naming
# VPCs, but its subnet is known, and an endpoint's subnets are in its VPC.
# c: no endpoint.

resource "aws_vpc" "a" {
  cidr_block = "10.0.0.0/16"
}

module "vpcs" {
  source   = "./modules/vpcs"
  for_each = { b = "10.1.0.0/16" }

  cidr = each.value
}

resource "aws_vpc" "c" {
  cidr_block = "10.2.0.0/16"
}

# In each VPC, a subnet with a public address by default and a route to the internet.
module "edge_a" {
  source = "./modules/edge"
  vpc_id = aws_vpc.a.id
  cidr   = "10.0.1.0/24"
}

module "edge_b" {
  source = "./modules/edge"
  vpc_id = module.vpcs["b"].vpc_id
  cidr   = "10.1.1.0/24"
}

module "edge_c" {
  source = "./modules/edge"
  vpc_id = aws_vpc.c.id
  cidr   = "10.2.1.0/24"
}

module "net" {
  source   = "./modules/net"
  for_each = { a = "a" }

  vpc_id = aws_vpc.a.id
  cidrs  = ["10.0.10.0/24", "10.0.11.0/24"]
}

resource "aws_security_group" "endpoint_a" {
  name   = "endpoint-a"
  vpc_id = aws_vpc.a.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}

resource "aws_vpc_endpoint" "a" {
  for_each = { a = "a" }

  vpc_id              = aws_vpc.a.id
  service_name        = "com.amazonaws.us-east-1.ssm"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [module.net[each.key].app_subnet_id]
  security_group_ids  = [aws_security_group.endpoint_a.id]
}

# b's endpoint, in a subnet of its own.
resource "aws_subnet" "endpoint_b" {
  vpc_id            = module.vpcs["b"].vpc_id
  cidr_block        = "10.1.10.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_security_group" "endpoint_b" {
  name   = "endpoint-b"
  vpc_id = module.vpcs["b"].vpc_id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.1.0.0/16"]
  }
}

resource "aws_vpc_endpoint" "b" {
  for_each = { b = "b" }

  vpc_id              = module.vpcs[each.key].vpc_id
  service_name        = "com.amazonaws.us-east-1.ssm"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.endpoint_b.id]
  security_group_ids  = [aws_security_group.endpoint_b.id]
}
