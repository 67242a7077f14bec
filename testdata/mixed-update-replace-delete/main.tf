# Change, one plan with an update in place, two replacements and a delete:
# - UPDATE  aws_subnet.public: map_public_ip_on_launch false -> true. internet <-> public over
#   IPv4 goes from `unknown` (IGW route, no public IPv4) to allowed.
# - REPLACE aws_subnet.app: cidr_block 10.6.10.0/24 -> 10.6.11.0/24 forces a new subnet, and
#   aws_route_table_association.app is replaced with it (its subnet_id is unknown until apply).
# - DELETE  aws_network_acl.app: the new app subnet falls back to the VPC's default NACL
#   (allow all). Opens every port public -> app (before: TCP 5432 only) and app -> public
#   (before: app's NACL let only TCP 1024-65535 out, i.e. replies). app has still no route out
#   of the VPC. TFVPC102 must not fire (nothing deleted is a route target).

resource "aws_vpc" "main" {
  cidr_block = "10.6.0.0/16"
  tags       = { Name = "mixed-update-replace-delete" }
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.6.0.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true # was: false (update in place)
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.6.11.0/24" # was: 10.6.10.0/24 (forces replacement)
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}

# removed: aws_network_acl.app
