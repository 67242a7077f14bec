# A VPC whose private subnet reaches the internet through a NAT gateway. Its gateway
# endpoints come from a module called with for_each, and the root associates the private
# route table with one of them through `module.vpce[each.key].s3_id`, which terraform's plan
# JSON lists as `module.vpce` and `each.key` only. The module has two outputs naming
# endpoints, so which endpoint the association names is not known at plan time.

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.0.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "main" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}

module "vpce" {
  source   = "./modules/vpce"
  for_each = { main = "main" }

  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_endpoint_route_table_association" "private" {
  for_each = { main = "main" }

  vpc_endpoint_id = module.vpce[each.key].s3_id
  route_table_id  = aws_route_table.private.id
}
