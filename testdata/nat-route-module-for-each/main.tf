# A NAT route whose route table is named through a module output that terraform's plan
# JSON lists without its name (`module.x[each.key].out` is written as `module.x` and
# `each.key`): the module has two outputs naming route tables, so which table gets the
# IPv4 default route to the NAT gateway is not known at plan time.

resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.0.0/24"
  ipv6_cidr_block         = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 0)
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

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
}

module "tables" {
  source   = "./modules/tables"
  for_each = { a = 1 }

  vpc_id    = aws_vpc.main.id
  igw_id    = aws_internet_gateway.igw.id
  ipv4_cidr = cidrsubnet(aws_vpc.main.cidr_block, 8, each.value)
  ipv6_cidr = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, each.value)
}

resource "aws_route" "nat" {
  for_each = { a = "a" }

  route_table_id         = module.tables[each.key].app_route_table_id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.nat.id
}
