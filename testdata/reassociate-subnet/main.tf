# Change: the "app" subnet is re-associated from the "isolated" route table to the public one
# (aws_route_table_association.app: route_table_id changes, updated in place). Opens:
# app <-> internet over IPv6 in both directions (::/0 -> IGW; IPv6 needs no public address),
# and app -> internet / internet -> app over IPv4 become `unknown` (IGW route, but the subnet
# auto-assigns no public IPv4). The isolated table is left with no association (TFVPC405).

resource "aws_vpc" "main" {
  cidr_block                       = "10.4.0.0/16"
  assign_generated_ipv6_cidr_block = true
  tags                             = { Name = "reassociate-subnet" }
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.4.0.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
  route {
    ipv6_cidr_block = "::/0"
    gateway_id      = aws_internet_gateway.igw.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_subnet" "app" {
  vpc_id                          = aws_vpc.main.id
  cidr_block                      = "10.4.1.0/24"
  availability_zone               = "us-east-1a"
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
  assign_ipv6_address_on_creation = true
}

# Local routes only.
resource "aws_route_table" "isolated" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.public.id # was: aws_route_table.isolated.id
}
