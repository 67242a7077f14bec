# VPC Block Public Access in block-bidirectional mode, with exclusions (create-only plan).

resource "aws_vpc_block_public_access_options" "this" {
  internet_gateway_block_mode = "block-bidirectional"
}

resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_egress_only_internet_gateway" "eigw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}

# Exempt both ways: the internet reaches it, it reaches the internet.
resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.1.0/24"
  map_public_ip_on_launch = true
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_vpc_block_public_access_exclusion" "public" {
  subnet_id                       = aws_subnet.public.id
  internet_gateway_exclusion_mode = "allow-bidirectional"
}

# Exempt for egress only: it reaches the internet, the internet does not reach it.
resource "aws_subnet" "web" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.2.0/24"
  map_public_ip_on_launch = true
}

resource "aws_route_table_association" "web" {
  subnet_id      = aws_subnet.web.id
  route_table_id = aws_route_table.public.id
}

resource "aws_vpc_block_public_access_exclusion" "web" {
  subnet_id                       = aws_subnet.web.id
  internet_gateway_exclusion_mode = "allow-egress"
}

# Routed to the internet gateway, not exempt: blocked both ways.
resource "aws_subnet" "legacy" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.3.0/24"
  map_public_ip_on_launch = true
}

resource "aws_route_table_association" "legacy" {
  subnet_id      = aws_subnet.legacy.id
  route_table_id = aws_route_table.public.id
}

# The NAT gateway's subnet is exempt for egress: NAT traffic passes.
resource "aws_subnet" "nat" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.4.0/24"
}

resource "aws_route_table_association" "nat" {
  subnet_id      = aws_subnet.nat.id
  route_table_id = aws_route_table.public.id
}

resource "aws_vpc_block_public_access_exclusion" "nat" {
  subnet_id                       = aws_subnet.nat.id
  internet_gateway_exclusion_mode = "allow-egress"
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.nat.id
}

# IPv4 through the NAT gateway (allowed), IPv6 through the egress-only internet gateway from
# a subnet no exclusion names (blocked), S3 through a gateway endpoint (BPA does not apply).
resource "aws_subnet" "app" {
  vpc_id                          = aws_vpc.main.id
  cidr_block                      = "10.0.10.0/24"
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 10)
  assign_ipv6_address_on_creation = true
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
  route {
    ipv6_cidr_block        = "::/0"
    egress_only_gateway_id = aws_egress_only_internet_gateway.eigw.id
  }
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.app.id]
}

# us-west-2: the options above do not govern this VPC.
resource "aws_vpc" "west" {
  provider   = aws.west
  cidr_block = "10.20.0.0/16"
}

resource "aws_internet_gateway" "west" {
  provider = aws.west
  vpc_id   = aws_vpc.west.id
}

resource "aws_subnet" "west_public" {
  provider                = aws.west
  vpc_id                  = aws_vpc.west.id
  cidr_block              = "10.20.1.0/24"
  map_public_ip_on_launch = true
}

resource "aws_route_table" "west_public" {
  provider = aws.west
  vpc_id   = aws_vpc.west.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.west.id
  }
}

resource "aws_route_table_association" "west_public" {
  provider       = aws.west
  subnet_id      = aws_subnet.west_public.id
  route_table_id = aws_route_table.west_public.id
}

# us-east-1 through another provider configuration: perhaps another account.
resource "aws_vpc" "shared" {
  provider   = aws.shared
  cidr_block = "10.30.0.0/16"
}

resource "aws_internet_gateway" "shared" {
  provider = aws.shared
  vpc_id   = aws_vpc.shared.id
}

resource "aws_subnet" "shared_public" {
  provider                = aws.shared
  vpc_id                  = aws_vpc.shared.id
  cidr_block              = "10.30.1.0/24"
  map_public_ip_on_launch = true
}

resource "aws_route_table" "shared_public" {
  provider = aws.shared
  vpc_id   = aws_vpc.shared.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.shared.id
  }
}

resource "aws_route_table_association" "shared_public" {
  provider       = aws.shared
  subnet_id      = aws_subnet.shared_public.id
  route_table_id = aws_route_table.shared_public.id
}
