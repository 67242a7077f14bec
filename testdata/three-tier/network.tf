# A classic three-tier VPC over three AZs: public (web), private app, private data.
# IPv4: public subnets use the IGW; app and data subnets use a NAT gateway in their own AZ.
# IPv6: app subnets use the egress-only IGW.
# DELIBERATE PROBLEM: the data tier's IPv6 default route goes to the IGW instead of the EIGW,
# so the "private" data subnets are reachable from the internet over IPv6 (TFVPC201).

locals {
  azs      = ["us-east-1a", "us-east-1b", "us-east-1c"]
  vpc_cidr = "10.0.0.0/16"
}

resource "aws_vpc" "main" {
  cidr_block                       = local.vpc_cidr
  assign_generated_ipv6_cidr_block = true
  enable_dns_support               = true
  enable_dns_hostnames             = true
  tags                             = { Name = "three-tier" }
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = "three-tier" }
}

resource "aws_egress_only_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = "three-tier" }
}

# --- subnets ---------------------------------------------------------------------------

resource "aws_subnet" "public" {
  count                           = length(local.azs)
  vpc_id                          = aws_vpc.main.id
  availability_zone               = local.azs[count.index]
  cidr_block                      = cidrsubnet(local.vpc_cidr, 8, count.index) # 10.0.0-2.0/24
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, count.index)
  map_public_ip_on_launch         = true
  assign_ipv6_address_on_creation = true
  tags                            = { Name = "public-${local.azs[count.index]}", Tier = "public" }
}

resource "aws_subnet" "app" {
  count                           = length(local.azs)
  vpc_id                          = aws_vpc.main.id
  availability_zone               = local.azs[count.index]
  cidr_block                      = cidrsubnet(local.vpc_cidr, 8, 10 + count.index) # 10.0.10-12.0/24
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 10 + count.index)
  assign_ipv6_address_on_creation = true
  tags                            = { Name = "app-${local.azs[count.index]}", Tier = "app" }
}

resource "aws_subnet" "data" {
  count                           = length(local.azs)
  vpc_id                          = aws_vpc.main.id
  availability_zone               = local.azs[count.index]
  cidr_block                      = cidrsubnet(local.vpc_cidr, 8, 20 + count.index) # 10.0.20-22.0/24
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 20 + count.index)
  assign_ipv6_address_on_creation = true
  tags                            = { Name = "data-${local.azs[count.index]}", Tier = "data" }
}

# --- NAT gateways: one per AZ, in that AZ's public subnet --------------------------------

resource "aws_eip" "nat" {
  count  = length(local.azs)
  domain = "vpc"
  tags   = { Name = "nat-${local.azs[count.index]}" }
}

resource "aws_nat_gateway" "main" {
  count         = length(local.azs)
  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
  tags          = { Name = "nat-${local.azs[count.index]}" }
  depends_on    = [aws_internet_gateway.main]
}

# --- route tables ------------------------------------------------------------------------

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }

  route {
    ipv6_cidr_block = "::/0"
    gateway_id      = aws_internet_gateway.main.id
  }

  tags = { Name = "public" }
}

resource "aws_route_table_association" "public" {
  count          = length(local.azs)
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

# App tier: IPv4 via the NAT gateway of the same AZ, IPv6 egress-only. Correct.
resource "aws_route_table" "app" {
  count  = length(local.azs)
  vpc_id = aws_vpc.main.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main[count.index].id
  }

  route {
    ipv6_cidr_block        = "::/0"
    egress_only_gateway_id = aws_egress_only_internet_gateway.main.id
  }

  tags = { Name = "app-${local.azs[count.index]}" }
}

resource "aws_route_table_association" "app" {
  count          = length(local.azs)
  subnet_id      = aws_subnet.app[count.index].id
  route_table_id = aws_route_table.app[count.index].id
}

# Data tier: IPv4 via NAT (meant to be private) ...
resource "aws_route_table" "data" {
  count  = length(local.azs)
  vpc_id = aws_vpc.main.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main[count.index].id
  }

  # ... but IPv6 goes to the INTERNET GATEWAY, not the egress-only one: every data host's
  # IPv6 address is reachable from the internet (TFVPC201). Should be
  # egress_only_gateway_id = aws_egress_only_internet_gateway.main.id
  route {
    ipv6_cidr_block = "::/0"
    gateway_id      = aws_internet_gateway.main.id
  }

  tags = { Name = "data-${local.azs[count.index]}" }
}

resource "aws_route_table_association" "data" {
  count          = length(local.azs)
  subnet_id      = aws_subnet.data[count.index].id
  route_table_id = aws_route_table.data[count.index].id
}

# --- gateway endpoints: S3 and DynamoDB for the private tiers -----------------------------

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = concat(aws_route_table.app[*].id, aws_route_table.data[*].id)
  tags              = { Name = "s3" }
}

resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.dynamodb"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = concat(aws_route_table.app[*].id, aws_route_table.data[*].id)
  tags              = { Name = "dynamodb" }
}
